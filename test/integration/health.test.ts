import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { createDb, migrateToLatest } from '../../src/db/connection.js';
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres.js';
import { captureLog, startApp } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/database.js';

test('/healthz and /readyz answer JSON', async () => {
  const { db } = await createTestDatabase();
  const { base } = await startApp(db);
  const health = await fetch(`${base}/healthz`);
  assert.equal(health.status, 200);
  assert.deepEqual(await health.json(), { status: 'ok' });
  const ready = await fetch(`${base}/readyz`);
  assert.equal(ready.status, 200);
  assert.equal((await ready.json()).database, 'ok');
});

test('/readyz turns 503 when the database goes away and 200 when it returns', async () => {
  // A server of its own, so that stopping it disturbs no other test.
  const parent = await mkdtemp(path.join(os.tmpdir(), 'asp-ready-'));
  let server = await startEmbeddedPostgres(path.join(parent, 'cluster'));
  const db = createDb(server.url, { max: 2 });
  // Whichever server is current at the end; a failing assertion must not leave it running.
  after(async () => {
    await db.destroy();
    await server.stop();
    await rm(parent, { recursive: true, force: true });
  });
  await migrateToLatest(db); // the app reads the schema at start (the back-office introspects it)
  const { base } = await startApp(db);

  assert.equal((await fetch(`${base}/readyz`)).status, 200);
  await server.stop();
  const down = await fetch(`${base}/readyz`);
  assert.equal(down.status, 503);
  assert.deepEqual(await down.json(), { status: 'unavailable', database: 'unreachable' });
  assert.equal((await fetch(`${base}/healthz`)).status, 200, 'the process itself is still up');

  server = await startEmbeddedPostgres(path.join(parent, 'cluster'), { port: server.port });
  assert.equal((await fetch(`${base}/readyz`)).status, 200);
});

test('each request is logged once with an id, without cookies, authorization or tokens', async () => {
  const { db } = await createTestDatabase();
  const { logger, lines } = captureLog();
  const { base } = await startApp(db, { logger });
  const response = await fetch(`${base}/palauta-salasana/SECRET-TOKEN-123?lang=fi`, {
    headers: { cookie: 'sid=SECRET-COOKIE', authorization: 'Bearer SECRET-AUTH' },
    redirect: 'manual',
  });
  await response.arrayBuffer();
  await new Promise((resolve) => setTimeout(resolve, 50));
  const requestLines = lines.filter((line) => line.includes('"req"'));
  assert.equal(requestLines.length, 1);
  const entry = JSON.parse(requestLines[0]!);
  assert.match(entry.req.id, /^[0-9a-f-]{36}$/);
  assert.equal(response.headers.get('x-request-id'), entry.req.id);
  assert.doesNotMatch(lines.join('\n'), /SECRET/);
});
