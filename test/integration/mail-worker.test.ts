import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { pino } from 'pino';
import type { Logger } from '../../src/logger.js';
import { createMailTransport } from '../../src/mail/transport.js';
import { startBackgroundWorker } from '../../src/background.js';
import { processMailQueue, RECORD_SENT } from '../../src/mail/worker.js';
import { requestSetPasswordLink } from '../../src/passwords/order-link.js';
import { createThrottles } from '../../src/passwords/throttles.js';
import type { ServiceDeps } from '../../src/services.js';
import { captureLog, testConfig } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/database.js';
import { seedDemoData } from '../../seeds/demo.js';
import { linksIn, startPortal, type Portal } from '../helpers/portal.js';
import { WebClient, visibleText } from '../helpers/web-client.js';

let portal: Portal;
let deps: ServiceDeps;
before(async () => {
  portal = await startPortal();
  deps = { db: portal.db, config: portal.config, throttles: createThrottles(portal.db) };
});

const orderFor = (email: string) => requestSetPasswordLink(deps, { email, language: 'fi', clientKey: email });
const mailRow = (id: number) => portal.db('mail_queue').where({ id }).first();

/** The app's background worker on this file's database and SMTP sink, idle loops looking again every `idleMs`. */
function startWorker(idleMs: number) {
  const logger = pino({ level: 'silent' }) as Logger;
  return startBackgroundWorker({ db: portal.db, config: portal.config, throttles: createThrottles(portal.db), transport: createMailTransport(portal.config, portal.db, logger), logger }, idleMs);
}

test('a refused delivery is retried later with a reason staff can read; its links are closed', async () => {
  const outcome = await orderFor('liisa.esimerkki@example.fi');
  assert.equal(outcome.kind, 'queued');
  const mailId = outcome.kind === 'queued' ? outcome.mailId : 0;

  portal.smtp.refuseNext(1);
  await portal.deliverMail();
  const failed = await mailRow(mailId);
  assert.equal(failed.status, 'retrying');
  assert.equal(failed.attempts, 1);
  assert.match(failed.last_error, /Mailbox temporarily unavailable/);
  assert.ok(new Date(failed.next_attempt_at).getTime() > Date.now(), 'not before the back-off');
  const closed = await portal.db('set_password_links').where({ mail_id: mailId });
  assert.equal(closed.length, 1);
  assert.equal(closed[0].revoked_reason, 'not-delivered', 'a token nobody received does not stay valid');

  await portal.db('mail_queue').where({ id: mailId }).update({ next_attempt_at: portal.db.fn.now() });
  await portal.deliverMail();
  const sent = await mailRow(mailId);
  assert.equal(sent.status, 'sent');
  assert.ok(sent.sent_at);
  const [mail] = await portal.smtp.waitFor(1);
  const path = new URL(linksIn(mail!.text)[0]!).pathname;
  assert.match(visibleText((await new WebClient(portal.base).get(path)).text), /PALAUTA SALASANA/, 'the retried mail carries a fresh, working link');
});

test('refused again and again, a mail is retried (waits 1, 2, 4, 8, 16 … 30 minutes) until MAIL_RETRY_HOURS have passed, then failed with the reason', async () => {
  portal.smtp.clear();
  const outcome = await orderFor('maija.meikalainen@example.fi');
  const mailId = outcome.kind === 'queued' ? outcome.mailId : 0;
  portal.smtp.refuseNext(7);
  const waits: number[] = [];
  for (let attempt = 1; attempt <= 6; attempt++) {
    await portal.db('mail_queue').where({ id: mailId }).update({ next_attempt_at: portal.db.fn.now() });
    await portal.deliverMail();
    const row = await portal.db('mail_queue').where({ id: mailId }).first('status', portal.db.raw('round(extract(epoch from next_attempt_at - now()) / 60) as wait'));
    assert.equal(row.status, 'retrying', `still retried after attempt ${attempt}`);
    waits.push(Number(row.wait));
  }
  assert.deepEqual(waits, [1, 2, 4, 8, 16, 30]);
  // A day passes (MAIL_RETRY_HOURS, 24 by default): the next refusal is the last.
  await portal.db('mail_queue').where({ id: mailId }).update({ created_at: portal.db.raw(`created_at - interval '24 hours'`), next_attempt_at: portal.db.fn.now() });
  await portal.deliverMail();
  const row = await mailRow(mailId);
  assert.equal(row.status, 'failed');
  assert.equal(row.attempts, 7);
  assert.match(row.last_error, /temporarily unavailable/);
  await portal.db('mail_queue').where({ id: mailId }).update({ next_attempt_at: portal.db.fn.now() });
  assert.equal(await portal.deliverMail(), 0, 'a failed mail is not picked up again');
  assert.equal(portal.smtp.messages.length, 0);
});

test('a claim left by a crashed worker is taken over when it runs out', async () => {
  const outcome = await orderFor('liisa.esimerkki@example.fi');
  const mailId = outcome.kind === 'queued' ? outcome.mailId : 0;
  await portal.db('mail_queue').where({ id: mailId }).update({ status: 'sending', attempts: 1, locked_until: portal.db.raw(`now() + interval '1 minute'`) });
  assert.equal(await portal.deliverMail(), 0, 'another worker holds it');
  await portal.db('mail_queue').where({ id: mailId }).update({ locked_until: portal.db.raw(`now() - interval '1 second'`) });
  assert.equal(await portal.deliverMail(), 1);
  assert.equal((await mailRow(mailId)).status, 'sent');
});

test('two workers at once send each mail exactly once', async () => {
  portal.smtp.clear();
  await portal.db('rate_limits').delete();
  for (let i = 0; i < 4; i++) await orderFor(i % 2 ? 'liisa.esimerkki@example.fi' : 'maija.meikalainen@example.fi');
  await Promise.all([portal.deliverMail(), portal.deliverMail()]);
  assert.equal(portal.smtp.messages.length, 4);
});

test('without SMTP_URL (development) mail is kept in the development mailbox and its links are logged', async () => {
  const config = testConfig({ PUBLIC_URL: 'http://localhost:3000' });
  const { logger, lines } = captureLog();
  const transport = createMailTransport(config, portal.db, logger);
  assert.equal(transport.kind, 'dev-mailbox');
  await portal.db('rate_limits').delete();
  await orderFor('liisa.esimerkki@example.fi');
  await processMailQueue({ db: portal.db, config, transport, logger });
  const [kept] = await portal.db('dev_mailbox').orderBy('id', 'desc').limit(1);
  assert.equal(kept.to_address, 'liisa.esimerkki@example.fi');
  const link = linksIn(kept.text)[0]!;
  assert.ok(link.startsWith('http://localhost:3000/palauta-salasana/'));
  assert.ok(lines.some((line) => line.includes(link)), 'the link is in the development log');
});

test('the background worker sends without anyone waiting, and stops cleanly', async () => {
  portal.smtp.clear();
  await portal.db('rate_limits').delete();
  const worker = startWorker(50);
  try {
    await orderFor('liisa.esimerkki@example.fi');
    await portal.smtp.waitFor(1, 5000);
  } finally {
    await worker.stop();
  }
});

test('an idle worker starts on mail queued in its process at once, not at its next look a minute later', async () => {
  portal.smtp.clear();
  await portal.db('rate_limits').delete();
  const worker = startWorker(60_000);
  try {
    await new Promise((resolve) => setTimeout(resolve, 300)); // every loop has looked once and gone idle
    for (const [n, email] of [[1, 'liisa.esimerkki@example.fi'], [2, 'maija.meikalainen@example.fi']] as const) {
      const at = Date.now();
      await orderFor(email);
      await portal.smtp.waitFor(n, 3000);
      assert.ok(Date.now() - at < 3000, `order ${n} sent within seconds`);
      await new Promise((resolve) => setTimeout(resolve, 300)); // idle again before the next
    }
  } finally {
    await worker.stop();
  }
});

test('idle, the sending loops look at the queue once a pause between them, and mail another process queued is still found', async () => {
  portal.smtp.clear();
  await portal.db('rate_limits').delete();
  const claims: number[] = [];
  const countClaims = (query: { sql: string }) => {
    if (query.sql.includes("SET status = 'sending'")) claims.push(Date.now());
  };
  portal.db.on('query', countClaims);
  const connections = portal.config.mailConnections;
  assert.ok(connections >= 2, 'the test needs several sending loops');
  const worker = startWorker(200);
  try {
    await new Promise((resolve) => setTimeout(resolve, 300)); // every loop has looked once and gone idle
    const idleFrom = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const idleLooks = claims.filter((at) => at >= idleFrom).length;
    // One look every 200 ms is 10; one a loop each would be 10 × connections.
    assert.ok(idleLooks >= 6 && idleLooks <= 12, `${idleLooks} looks at the queue in 2 s idle with ${connections} loops`);

    // Queued as another process would, in SQL with no announcement in this one: the next look finds it.
    const member = await portal.db('members').where({ email: 'liisa.esimerkki@example.fi' }).first('id');
    await portal.db('mail_queue').insert({ template: 'password-changed', to_address: 'liisa.esimerkki@example.fi', language: 'fi', data: { memberId: member.id } });
    await portal.smtp.waitFor(1, 3000);
  } finally {
    portal.db.off('query', countClaims);
    await worker.stop();
  }
});

/** Recorded as sent, a mail's outstanding link is valid its full time from now; a link revoked meanwhile stays as it was. */
test('recording mail as sent starts its outstanding links\' time, not a revoked link\'s', async () => {
  const { db } = await createTestDatabase();
  await seedDemoData(db, { bcryptCost: 4 });
  const member = (await db('members').where({ member_number: '200001' }).first('id')).id;
  await db.raw(
    `WITH m AS (
       INSERT INTO mail_queue (template, to_address, language, data, status, attempts)
       SELECT 'set-password-link', 'jasen' || g || '@example.fi', 'fi', '{}'::jsonb, 'sending', 1 FROM generate_series(1, 2) g RETURNING id)
     INSERT INTO set_password_links (token_hash, member_id, mail_id, created_at, expires_at)
     SELECT sha256(id::text::bytea), ?, id, now() - interval '1 day', now() + interval '6 days' FROM m`,
    [member],
  );
  const [first, second] = (await db('mail_queue').where({ status: 'sending' }).orderBy('id').pluck('id')).map(Number) as [number, number];
  await db('set_password_links').where({ mail_id: second }).update({ revoked_at: db.fn.now(), revoked_reason: 'account-changed' });
  const expiryOf = async (mailId: number) => new Date((await db('set_password_links').where({ mail_id: mailId }).first('expires_at')).expires_at).getTime();
  const revokedExpiry = await expiryOf(second);
  const recorded = await db.raw(RECORD_SENT, [[first, second], [first, second], [1, 1]]);
  assert.equal(recorded.rows.length, 2);
  assert.deepEqual(await db('mail_queue').whereIn('id', [first, second]).distinct().pluck('status'), ['sent']);
  assert.ok(Math.abs((await expiryOf(first)) - (Date.now() + 7 * 24 * 3600_000)) < 60_000, 'valid its full week from now');
  assert.equal(await expiryOf(second), revokedExpiry);
});
