import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { onFileEnd } from './cleanup.js';
import { createApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import type { Db } from '../../src/db/connection.js';
import type { Logger } from '../../src/logger.js';

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ NODE_ENV: 'test', BCRYPT_COST: '10', SESSION_SECRET: 'test-session-secret-that-is-long-enough', LOG_LEVEL: 'silent', ...env });
}

/** Lines the app logged, for asserting what is (and is not) written to the log. */
export function captureLog() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream) as Logger, lines };
}

/** Starts the real app on a loopback port; stopped when the test file ends. */
export async function startApp(db: Db, options: { config?: Config; logger?: Logger } = {}) {
  const config = options.config ?? testConfig();
  const app = await createApp({ config, db, logger: options.logger ?? (pino({ level: 'silent' }) as Logger) });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  onFileEnd(() => {
    server.closeAllConnections();
    server.close();
  });
  return { base, config, server };
}
