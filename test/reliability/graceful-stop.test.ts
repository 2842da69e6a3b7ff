import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { seedDemoData } from '../../seeds/demo.js';
import { createDb, type Db } from '../../src/db/connection.js';
import { findFreePort } from '../../src/db/embedded-postgres.js';
import { spawnApp, waitUntilReady, type AppProcess } from '../helpers/app-process.js';
import { onFileEnd } from '../helpers/cleanup.js';
import { createTestDatabase } from '../helpers/database.js';
import { startRelay } from '../helpers/smtp-relay.js';
import { addTestMembers } from '../helpers/test-members.js';
import { WebClient, visibleText } from '../helpers/web-client.js';

/**
 * A restart loses no request. The app runs as a real process and gets SIGTERM while a burst of
 * orders is being handled: the orders are held in flight by a lock the test takes on the mail
 * queue, so the signal is certain to arrive while every one of them is inside the app. Each must
 * be answered 200, the process must stop accepting new connections, and exit 0 within 10 s.
 */
const BURST = 8;
const SENT = 'Ohjeet salasanan vaihtamiseksi on lähetetty antamaasi sähköpostiosoitteeseen.';

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * Backends of the app waiting for the test's lock to queue mail: a lock on mail_queue not granted, for
 * any statement but the worker's claim (an UPDATE). By the lock, not the statement's text: the link-mail
 * statement's INSERT lies past what pg_stat_activity keeps of a query (track_activity_query_size).
 */
async function blockedInserts(db: Db): Promise<number> {
  const row = await db('pg_locks as l')
    .join('pg_stat_activity as a', 'a.pid', 'l.pid')
    .where({ 'a.datname': db.raw('current_database()'), 'l.granted': false, 'l.relation': db.raw(`'mail_queue'::regclass`) })
    .whereRaw(`a.query NOT ILIKE 'UPDATE mail_queue%'`)
    .count<{ n: number }[]>({ n: '*' })
    .first();
  return Number(row?.n ?? 0);
}

/**
 * The burst: every client loads the order form first, then all post at once while the mail queue
 * is locked; SIGTERM when all of them wait inside the app; the lock goes 300 ms later.
 */
async function sigtermDuringBurst(app: AppProcess, base: string, db: Db, emails: string[]) {
  const clients = emails.map(() => new WebClient(base));
  for (const client of clients) assert.equal((await client.get('/tilaa-salasana')).status, 200);

  const lock = await db.transaction();
  await lock.raw('LOCK TABLE mail_queue IN SHARE ROW EXCLUSIVE MODE');
  const answers = clients.map((client, i) =>
    client.post('/tilaa-salasana', { email: emails[i]! }).then(
      (page) => ({ status: page.status, text: visibleText(page.text) }),
      (error: Error) => ({ status: 0, text: `${error.message} ${String((error.cause as Error | undefined)?.message ?? '')}` }),
    ),
  );
  try {
    await waitFor(`${emails.length} orders in flight`, async () => (await blockedInserts(db)) >= emails.length);
  } catch (error) {
    await lock.rollback();
    throw error;
  }
  const signalledAt = Date.now();
  app.child.kill('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 300));
  const newConnection = await fetch(`${base}/healthz`).then(
    () => 'accepted',
    () => 'refused',
  );
  await lock.commit();

  const results = await Promise.all(answers);
  const exit = await Promise.race([app.exited, new Promise<undefined>((resolve) => setTimeout(resolve, 15_000))]);
  return { results, exit, signalledAt, newConnection };
}

test('SIGTERM during a burst of orders (DATABASE_URL): every order answered 200, exit 0 within 10 s, no mail left claimed', async () => {
  const { db, url } = await createTestDatabase();
  await seedDemoData(db, { bcryptCost: 10 });
  const emails = await addTestMembers(db, BURST, 'sigterm');
  const relay = await startRelay();
  const port = await findFreePort();
  const app = spawnApp('src/server.ts', { NODE_ENV: 'production', DATABASE_URL: url, SMTP_URL: relay.url, PORT: String(port), PUBLIC_URL: 'http://asiointi.example.fi' });
  const base = `http://127.0.0.1:${port}`;
  await waitUntilReady(`${base}/readyz`, app);

  const { results, exit, signalledAt, newConnection } = await sigtermDuringBurst(app, base, db, emails);
  for (const [i, result] of results.entries()) {
    assert.equal(result.status, 200, `order ${i + 1}: ${result.text.slice(0, 200)}`);
    assert.ok(result.text.includes(SENT), `order ${i + 1} was confirmed`);
  }
  assert.equal(newConnection, 'refused', 'a stopping process accepts no new connections');
  assert.ok(exit, `the process exited; it wrote:\n${app.lines.slice(-20).join('\n')}`);
  assert.deepEqual({ code: exit.code, signal: exit.signal }, { code: 0, signal: null }, 'a graceful stop exits 0');
  const stopMs = exit.at - signalledAt;
  console.log(`# SIGTERM with ${BURST} orders in flight: exit 0 after ${stopMs} ms`);
  assert.ok(stopMs < 10_000, `stopped in ${stopMs} ms`);

  const mails = await db('mail_queue').whereIn('to_address', emails).select('status');
  assert.equal(mails.length, BURST, 'every confirmed order has its mail');
  assert.deepEqual(mails.filter((m) => m.status === 'sending'), [], 'no mail is left claimed by the stopped process');
});

test('SIGTERM while a mail is with the relay: it is finished if the relay answers, released if not; exit 0 within 10 s', async () => {
  const { db, url } = await createTestDatabase();
  await seedDemoData(db, { bcryptCost: 10 });
  const [first, second] = await addTestMembers(db, 2, 'inflight');
  const relay = await startRelay();

  const order = async (base: string, email: string) => {
    const client = new WebClient(base);
    await client.get('/tilaa-salasana');
    assert.equal((await client.post('/tilaa-salasana', { email })).status, 200);
    return (await db('mail_queue').where({ to_address: email }).first('id')).id as number;
  };
  const run = async (email: string, relayAnswersAfterMs: number | undefined) => {
    const port = await findFreePort();
    const app = spawnApp('src/server.ts', { NODE_ENV: 'production', DATABASE_URL: url, SMTP_URL: relay.url, PORT: String(port), PUBLIC_URL: 'http://asiointi.example.fi' });
    await waitUntilReady(`http://127.0.0.1:${port}/readyz`, app);
    relay.hold(true);
    const mailId = await order(`http://127.0.0.1:${port}`, email);
    await waitFor('the mail at the relay', async () => relay.held() === 1);
    const signalledAt = Date.now();
    app.child.kill('SIGTERM');
    if (relayAnswersAfterMs !== undefined) setTimeout(() => relay.release(), relayAnswersAfterMs);
    const exit = await Promise.race([app.exited, new Promise<undefined>((resolve) => setTimeout(resolve, 15_000))]);
    assert.ok(exit, 'the process exited');
    assert.deepEqual({ code: exit.code, signal: exit.signal }, { code: 0, signal: null });
    relay.hold(false);
    return { row: await db('mail_queue').where({ id: mailId }).first(), stopMs: exit.at - signalledAt };
  };

  const finished = await run(first!, 1000);
  assert.equal(finished.row.status, 'sent', 'the relay answered within the stop: the mail is recorded as sent');
  console.log(`# SIGTERM with a mail at a relay answering after 1 s: exit 0 after ${finished.stopMs} ms`);

  const released = await run(second!, undefined);
  console.log(`# SIGTERM with a mail at a relay that never answers: exit 0 after ${released.stopMs} ms`);
  assert.ok(released.stopMs < 10_000, `stopped in ${released.stopMs} ms`);
  assert.notEqual(released.row.status, 'sending', 'the mail is not left claimed by a process that is gone');
  assert.ok(['queued', 'retrying'].includes(released.row.status), released.row.status);
  assert.ok(new Date(released.row.next_attempt_at).getTime() <= Date.now() + 1000, 'the next process may send it at once');
  relay.release();
});

test('SIGTERM during a burst of orders (embedded PostgreSQL): every order answered 200, the database stopped after them, exit 0', async () => {
  const parent = await mkdtemp(path.join(os.tmpdir(), 'asp-stop-'));
  const clusterDir = path.join(parent, 'cluster');
  onFileEnd(() => rm(parent, { recursive: true, force: true }));
  const port = await findFreePort();
  const app = spawnApp('test/helpers/embedded-app.ts', { NODE_ENV: 'development', PORT: String(port) }, [clusterDir]);
  const base = `http://127.0.0.1:${port}`;
  await waitUntilReady(`${base}/readyz`, app, 60_000);
  const pgPort = JSON.parse(await app.waitForLine(/embedded PostgreSQL is running/)).port as number;
  const password = (await readFile(`${clusterDir}.password`, 'utf8')).trim();
  const db = createDb(`postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${pgPort}/postgres`, { max: 2 });
  const dbClosed = { done: false };
  onFileEnd(() => (dbClosed.done ? undefined : db.destroy()));
  const emails = await addTestMembers(db, BURST, 'embedded');

  const { results, exit, signalledAt } = await sigtermDuringBurst(app, base, db, emails);
  await db.destroy();
  dbClosed.done = true;
  for (const [i, result] of results.entries()) assert.equal(result.status, 200, `order ${i + 1}: ${result.text.slice(0, 200)}`);
  assert.ok(exit, 'the process exited');
  assert.deepEqual({ code: exit.code, signal: exit.signal }, { code: 0, signal: null }, 'a graceful stop exits 0, not 128 + 15');
  assert.ok(exit.at - signalledAt < 10_000);
  console.log(`# SIGTERM with ${BURST} orders in flight, embedded PostgreSQL: exit 0 after ${exit.at - signalledAt} ms`);
  assert.equal(existsSync(path.join(clusterDir, 'postmaster.pid')), false, 'the embedded PostgreSQL was stopped');
});
