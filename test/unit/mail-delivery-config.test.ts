import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.js';

/** The variables of mail delivery and worker placement (README, Configuration). */
test('mail delivery and the worker: documented defaults, and a wrong value names the variable', () => {
  const defaults = loadConfig({});
  assert.deepEqual([defaults.mailRetryHours, defaults.mailConnections, defaults.runWorker], [24, 4, true]);
  const set = loadConfig({ MAIL_RETRY_HOURS: '72', MAIL_CONNECTIONS: '8', WORKER: 'off' });
  assert.deepEqual([set.mailRetryHours, set.mailConnections, set.runWorker], [72, 8, false]);
  assert.equal(loadConfig({ WORKER: 'OFF' }).runWorker, false);
  for (const [name, value, message] of [
    ['MAIL_RETRY_HOURS', '0', /MAIL_RETRY_HOURS must be a whole number from 1 to 720/],
    ['MAIL_CONNECTIONS', '50', /MAIL_CONNECTIONS must be a whole number from 1 to 20/],
    ['WORKER', 'sometimes', /WORKER must be on or off/],
  ] as const) {
    assert.throws(() => loadConfig({ [name]: value }), (error) => error instanceof ConfigError && message.test(error.message));
  }
});
