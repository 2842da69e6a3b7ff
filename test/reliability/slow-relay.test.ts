import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pino } from 'pino';
import { seedDemoData } from '../../seeds/demo.js';
import type { BackgroundDeps } from '../../src/background.js';
import type { Logger } from '../../src/logger.js';
import * as transportModule from '../../src/mail/transport.js';
import { processMailQueue } from '../../src/mail/worker.js';
import { processLinkBatches, startLinkSend } from '../../src/passwords/link-batches.js';
import { requestSetPasswordLink } from '../../src/passwords/order-link.js';
import { createThrottles } from '../../src/passwords/throttles.js';
import { findActiveStaff } from '../../src/staff/principal.js';
import { testConfig } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/database.js';
import { startRelay, type Relay } from '../helpers/smtp-relay.js';
import { addTestMembers } from '../helpers/test-members.js';

/**
 * The mail worker against a relay that misbehaves: one that leaves connections ungreeted, one that
 * answers slowly, one that keeps a message for a long time. Several mails are in flight on pooled
 * connections, a member's own order goes before a staff bulk send, and a mail whose relay is slow is
 * never taken over (and sent again) by another process while the relay may still be working on it.
 * The worker runs in this process; the relay is real SMTP on loopback (test/helpers/smtp-relay.ts).
 */
const FULL = process.env.TEST_FULL_SIZE === '1';
const CONNECTIONS = 4;
const silent = pino({ level: 'silent' }) as Logger;

async function setUp() {
  const { db } = await createTestDatabase();
  await seedDemoData(db, { bcryptCost: 10 });
  const relay = await startRelay();
  const config = testConfig({ SMTP_URL: relay.url, PUBLIC_URL: 'http://asiointi.example.fi', MAIL_CONNECTIONS: String(CONNECTIONS) });
  /** A worker with a transport (and so connections) of its own, as a process has. */
  const worker = (): BackgroundDeps => ({ db, config, throttles: createThrottles(db), transport: transportModule.createMailTransport(config, db, silent), logger: silent });
  return { db, relay, config, worker };
}

async function order(deps: BackgroundDeps, emails: string[]) {
  for (const email of emails) {
    const outcome = await requestSetPasswordLink(deps, { email, language: 'fi', clientKey: email });
    assert.equal(outcome.kind, 'queued', email);
  }
}

const receivedFor = (relay: Relay, emails: string[]) => relay.received.filter((mail) => emails.includes(mail.to)).length;

async function until(relay: Relay, emails: string[], count: number, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (receivedFor(relay, emails) < count) {
    if (Date.now() - started > timeoutMs) throw new Error(`only ${receivedFor(relay, emails)} of ${count} mails reached the relay within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return Date.now() - started;
}

test('a relay that never greets a connection: the other mail still flows at full speed; the stalled mail is tried again later', async () => {
  const mails = FULL ? 400 : 80;
  const { db, relay, worker } = await setUp();
  const healthyEmails = await addTestMembers(db, mails, 'healthy');
  const stalledEmails = await addTestMembers(db, mails, 'stalled');

  const healthy = worker();
  await order(healthy, healthyEmails);
  const healthyRun = processMailQueue(healthy);
  const healthyMs = await until(relay, healthyEmails, mails, 30_000);
  await healthyRun;
  healthy.transport.close();

  const stalled = worker();
  await order(stalled, stalledEmails);
  relay.neverGreet(1);
  const stalledRun = processMailQueue(stalled);
  const stalledMs = await until(relay, stalledEmails, mails - 1, Math.max(5_000, healthyMs * 3));
  console.log(`# ${mails} mails: ${healthyMs} ms with every connection greeted, ${mails - 1} of ${mails} in ${stalledMs} ms with one connection never greeted (${CONNECTIONS} connections)`);
  assert.ok(stalledMs <= Math.max(healthyMs * 2, healthyMs + 1500), `the other mail flowed at full speed (${stalledMs} ms against ${healthyMs} ms)`);

  await stalledRun; // the ungreeted connection gives up at the greeting timeout
  stalled.transport.close();
  const waiting = await db('mail_queue').whereIn('to_address', stalledEmails).whereNot({ status: 'sent' });
  assert.equal(waiting.length, 1, 'only the mail on the ungreeted connection is waiting');
  assert.equal(waiting[0].status, 'retrying');
  assert.match(waiting[0].last_error, /greeting/i, 'with a reason staff can read');

  await db('mail_queue').where({ id: waiting[0].id }).update({ next_attempt_at: db.fn.now() });
  const retry = worker();
  assert.equal(await processMailQueue(retry), 1);
  retry.transport.close();
  assert.equal(receivedFor(relay, stalledEmails), mails, 'the stalled mail was delivered on its next attempt');
});

test('several mails in flight: a slow relay is used in parallel, and a member\'s own order goes before a staff bulk send', async () => {
  const bulk = FULL ? 200 : 60;
  const { db, relay, worker } = await setUp();
  const bulkEmails = await addTestMembers(db, bulk, 'bulk');
  const deps = worker();
  const federation = await db('staff_users').where({ email: 'jasenpalvelut@liitto.example' }).first('id');
  const staff = (await findActiveStaff(db, federation.id))!;
  const memberIds = (await db('members').whereIn('email', bulkEmails).select('id')).map((row) => row.id as number);
  await startLinkSend(db, staff, { memberIds });
  while ((await processLinkBatches(deps, { maxGroups: 1000 })) > 0);
  assert.equal(Number((await db('mail_queue').count({ n: '*' }).first())?.n), bulk, 'the bulk send is queued');

  // Queued after the whole bulk send, by a member who waits for it.
  await order(deps, ['liisa.esimerkki@example.fi']);
  const delayMs = 200;
  relay.setDelay(delayMs);
  const started = Date.now();
  await processMailQueue(deps);
  const elapsedMs = Date.now() - started;
  deps.transport.close();

  const position = relay.received.findIndex((mail) => mail.to === 'liisa.esimerkki@example.fi');
  const perSecond = Math.round(((bulk + 1) / elapsedMs) * 10_000) / 10;
  console.log(
    `# relay answering each message after ${delayMs} ms: ${bulk + 1} mails in ${elapsedMs} ms (${perSecond}/s, at most ${relay.mostInFlight()} in flight ` +
      `with ${CONNECTIONS} connections; one at a time would be at most ${1000 / delayMs}/s); the member's order arrived as number ${position + 1}`,
  );
  assert.equal(relay.received.length, bulk + 1);
  // Claimed first, it leaves with the first mails in flight (which of those the relay reads first is chance).
  assert.ok(position >= 0 && position < CONNECTIONS * 2, `the member's order went first (it arrived as number ${position + 1})`);
  assert.ok(relay.mostInFlight() >= 2, `several mails were in flight at once (at most ${relay.mostInFlight()})`);
});

test('a slow relay: the mail is not taken over by another process while the relay may still be working on it', async () => {
  const { db, relay, worker } = await setUp();
  const [email] = await addTestMembers(db, 1, 'slow');
  const first = worker();
  await order(first, [email!]);
  relay.hold(true);
  const firstRun = processMailQueue(first);
  const started = Date.now();
  while (relay.held() === 0) {
    if (Date.now() - started > 10_000) throw new Error('the mail did not reach the relay');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }

  // As if the relay had kept it for as long as the transport lets a send take (without a bound of
  // its own, SMTP's 10 minutes for the reply to a message), less a second.
  const longest = (transportModule as { LONGEST_SEND_MS?: number }).LONGEST_SEND_MS ?? 10 * 60_000;
  await db('mail_queue')
    .where({ to_address: email })
    .update({
      locked_until: db.raw(`locked_until - make_interval(secs => ?)`, [longest / 1000 - 1]),
      next_attempt_at: db.raw(`next_attempt_at - make_interval(secs => ?)`, [longest / 1000 - 1]),
    });
  const second = worker();
  const secondRun = processMailQueue(second);
  const secondTook = await Promise.race([secondRun, new Promise((resolve) => setTimeout(() => resolve('it took the mail and is sending it again'), 3000))]);
  relay.hold(false);
  relay.release();
  assert.equal(secondTook, 0, 'the other process leaves the mail to the one still sending it');

  await Promise.all([firstRun, secondRun]);
  second.transport.close();
  first.transport.close();
  const row = await db('mail_queue').where({ to_address: email }).first();
  assert.equal(row.status, 'sent');
  assert.equal(relay.received.filter((mail) => mail.to === email).length, 1, 'the relay got the mail once');
});
