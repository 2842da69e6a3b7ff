import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redactUrl } from '../../src/logger.js';

test('set-password link tokens never reach a logged URL', () => {
  assert.equal(redactUrl('/palauta-salasana/abcDEF123_-x'), '/palauta-salasana/[redacted]');
  assert.equal(redactUrl('/palauta-salasana/abc?lang=sv'), '/palauta-salasana/[redacted]?lang=sv');
  assert.equal(redactUrl('/x?token=secret&a=1'), '/x?token=%5Bredacted%5D&a=1');
  assert.equal(redactUrl('/kirjaudu'), '/kirjaudu');
});
