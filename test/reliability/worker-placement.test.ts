import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { seedDemoData } from '../../seeds/demo.js';
import { findFreePort } from '../../src/db/embedded-postgres.js';
import { spawnApp, waitUntilReady } from '../helpers/app-process.js';
import { createTestDatabase } from '../helpers/database.js';
import { startRelay } from '../helpers/smtp-relay.js';
import { WebClient } from '../helpers/web-client.js';

/**
 * Where the background worker runs: web processes started with WORKER=off only serve requests and
 * leave the mail queue alone; `npm run worker` (src/worker.ts) sends the mail and runs the jobs alone,
 * with no HTTP port, and needs DATABASE_URL (it must never start an embedded database of its own
 * beside a running app's). Both stop with exit 0 on SIGTERM.
 */
test('WORKER=off: the web process queues but sends nothing; `npm run worker` alone sends it; both stop with exit 0', async () => {
  const { db, url } = await createTestDatabase();
  await seedDemoData(db, { bcryptCost: 10 });
  const relay = await startRelay();
  const env = { NODE_ENV: 'production', DATABASE_URL: url, SMTP_URL: relay.url, PUBLIC_URL: 'http://asiointi.example.fi' };
  const port = await findFreePort();
  const web = spawnApp('src/server.ts', { ...env, PORT: String(port), WORKER: 'off' });
  const base = `http://127.0.0.1:${port}`;
  await waitUntilReady(`${base}/readyz`, web);

  const client = new WebClient(base);
  await client.get('/tilaa-salasana');
  assert.equal((await client.post('/tilaa-salasana', { email: 'liisa.esimerkki@example.fi' })).status, 200);
  await new Promise((resolve) => setTimeout(resolve, 2500)); // more than two rounds of a worker, had one been running
  assert.equal(relay.received.length, 0, 'the web process sent nothing');
  assert.equal((await db('mail_queue').first('status')).status, 'queued');

  const worker = spawnApp('src/worker.ts', env);
  await relay.waitFor(1, 20_000);
  assert.equal(relay.received[0]!.to, 'liisa.esimerkki@example.fi');
  assert.ok(worker.lines.some((line) => /background worker started/.test(line)), 'the worker says it started');

  for (const process of [worker, web]) {
    process.child.kill('SIGTERM');
    const exit = await process.exited;
    assert.deepEqual({ code: exit.code, signal: exit.signal }, { code: 0, signal: null });
  }
  const scripts = JSON.parse(readFileSync('package.json', 'utf8')).scripts as Record<string, string>;
  assert.match(scripts.worker ?? '', /dist\/src\/worker\.js/, '`npm run worker` runs the built worker entry');
});

test('`npm run worker` without DATABASE_URL refuses to start, naming the variable', async () => {
  const worker = spawnApp('src/worker.ts', { NODE_ENV: 'development' });
  const exit = await worker.exited;
  assert.equal(exit.code, 1);
  assert.match(worker.lines.join('\n'), /DATABASE_URL/);
});
