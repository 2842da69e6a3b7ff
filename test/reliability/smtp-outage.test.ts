import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pino } from 'pino';
import { seedDemoData } from '../../seeds/demo.js';
import type { BackgroundDeps } from '../../src/background.js';
import type { Logger } from '../../src/logger.js';
import { mailStatusForMember } from '../../src/mail/status-for-member.js';
import { createMailTransport } from '../../src/mail/transport.js';
import { processMailQueue } from '../../src/mail/worker.js';
import { requestSetPasswordLink } from '../../src/passwords/order-link.js';
import { createThrottles } from '../../src/passwords/throttles.js';
import { testConfig } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/database.js';
import { startRelay } from '../helpers/smtp-relay.js';
import { addTestMembers } from '../helpers/test-members.js';

/**
 * SMTP outages: members were told their mail is on its way, so a relay that is down for hours must
 * not lose it. Temporary failures are retried with a back-off capped at 30 minutes for MAIL_RETRY_HOURS
 * (24 by default), then the mail fails with its reason; a recipient the relay rejects for good fails
 * at once. Time is moved in the database (the mail's timeline is shifted back by the wait before its
 * next attempt), never by sleeping. Real SMTP on loopback: the relay's port is closed while it is down.
 */
const MAILS = process.env.TEST_FULL_SIZE === '1' ? 100 : 20;
const silent = pino({ level: 'silent' }) as Logger;

async function setUp(env: Record<string, string> = {}) {
  const { db } = await createTestDatabase();
  await seedDemoData(db, { bcryptCost: 10 });
  const relay = await startRelay();
  const config = testConfig({ SMTP_URL: relay.url, PUBLIC_URL: 'http://asiointi.example.fi', ...env });
  const deps: BackgroundDeps = { db, config, throttles: createThrottles(db), transport: createMailTransport(config, db, silent), logger: silent };
  return { db, relay, config, deps };
}

async function order(deps: BackgroundDeps, emails: string[]): Promise<number[]> {
  const ids: number[] = [];
  for (const email of emails) {
    const outcome = await requestSetPasswordLink(deps, { email, language: 'fi', clientKey: email });
    assert.equal(outcome.kind, 'queued');
    if (outcome.kind === 'queued') ids.push(outcome.mailId);
  }
  return ids;
}

/** Time passes until every one of these mails is due again: their whole timeline moves back by that much. Returns the minutes passed. */
async function timePassesUntilNextAttempt(deps: BackgroundDeps, ids: number[]): Promise<number> {
  const { db } = deps;
  const row = await db('mail_queue').whereIn('id', ids).first(db.raw('extract(epoch from max(next_attempt_at) - now())::float as seconds'));
  const seconds = Math.max(0, Number(row.seconds));
  await db('mail_queue').whereIn('id', ids).update({ created_at: db.raw('created_at - make_interval(secs => ?)', [seconds]), next_attempt_at: db.raw('next_attempt_at - make_interval(secs => ?)', [seconds]) });
  return seconds / 60;
}

test('SMTP refused for three hours, longer than the old 85-minute window: every mail is delivered after it returns, its links valid their full time', async () => {
  const { db, relay, config, deps } = await setUp();
  const emails = await addTestMembers(db, MAILS, 'outage');
  const ids = await order(deps, emails);
  await relay.down();

  let minutes = 0;
  const waits: number[] = [];
  while (minutes < 180) {
    assert.equal(await processMailQueue(deps), MAILS, `at ${Math.round(minutes)} min every mail was tried`);
    const rows = await db('mail_queue').whereIn('id', ids).select('status', 'last_error', db.raw('extract(epoch from next_attempt_at - now())::float / 60 as wait'));
    assert.deepEqual([...new Set(rows.map((r) => r.status))], ['retrying'], `at ${Math.round(minutes)} min every mail is still to be retried`);
    assert.match(rows[0].last_error, /ECONNREFUSED|ECONNECTION/);
    const longestWait = Math.max(...rows.map((r) => Number(r.wait)));
    assert.ok(longestWait <= 30.1, `the back-off is capped at 30 minutes (${longestWait})`);
    waits.push(Math.round(longestWait));
    minutes += await timePassesUntilNextAttempt(deps, ids);
  }
  console.log(`# relay down for ${Math.round(minutes)} simulated minutes: ${waits.length} attempts per mail, waits ${waits.join(', ')} min; none failed`);

  await relay.up();
  assert.equal(await processMailQueue(deps), MAILS);
  deps.transport.close();
  const sent = await db('mail_queue').whereIn('id', ids).select('status', 'sent_at');
  assert.deepEqual([...new Set(sent.map((r) => r.status))], ['sent']);
  await relay.waitFor(MAILS);
  assert.equal(relay.received.length, MAILS, 'every mail delivered once');

  // A member who never set a password gets a link valid 7 days from when the mail actually left.
  const links = await db('set_password_links as l')
    .join('mail_queue as q', 'q.id', 'l.mail_id')
    .whereIn('q.id', ids)
    .whereNull('l.revoked_at')
    .select(db.raw('extract(epoch from l.expires_at - q.sent_at)::float / 3600 as hours'));
  assert.equal(links.length, MAILS, 'one working link per delivered mail');
  for (const link of links) assert.ok(Number(link.hours) >= config.linkHoursFirst - 1 / 3600, `valid ${link.hours} h after the mail left`);
});

test('a mail is retried for MAIL_RETRY_HOURS, then failed with a reason staff can read', async () => {
  const { db, relay, deps } = await setUp({ MAIL_RETRY_HOURS: '48' });
  const [email] = await addTestMembers(db, 1, 'window');
  const [id] = await order(deps, [email!]);
  await relay.down();
  await processMailQueue(deps);
  // 25 hours pass: past the default window, within the configured 48 hours.
  await db('mail_queue').where({ id }).update({ created_at: db.raw(`created_at - interval '25 hours'`), next_attempt_at: db.fn.now() });
  await processMailQueue(deps);
  assert.equal((await db('mail_queue').where({ id }).first()).status, 'retrying', 'still retried after 25 hours with MAIL_RETRY_HOURS=48');

  await db('mail_queue').where({ id }).update({ created_at: db.raw(`created_at - interval '23 hours'`), next_attempt_at: db.fn.now() });
  await processMailQueue(deps);
  deps.transport.close();
  const row = await db('mail_queue').where({ id }).first();
  assert.equal(row.status, 'failed', 'given up once the retry window is over');
  const member = await db('members').where({ email }).first('id');
  const [status] = await mailStatusForMember(db, member.id);
  assert.equal(status!.status, 'failed');
  assert.equal(status!.problem, 'unknown', 'a relay that stayed away a whole day: staff are told to send again and, if it fails again, ask the administrators');
  assert.match(status!.rawReason ?? '', /ECONNREFUSED|ECONNECTION/);
});

test('a recipient the relay rejects for good (550) fails at once with the reason staff can read; the other mail goes', async () => {
  const { db, relay, deps } = await setUp();
  const [rejected, fine] = await addTestMembers(db, 2, 'reject');
  relay.rejectRecipients(new RegExp(`^${rejected!.replace(/[.]/g, '\\.')}$`));
  const [rejectedId, fineId] = await order(deps, [rejected!, fine!]);
  await processMailQueue(deps);
  const row = await db('mail_queue').where({ id: rejectedId }).first();
  assert.equal(row.status, 'failed', 'a permanent rejection is not retried');
  assert.equal(row.attempts, 1);
  assert.match(row.last_error, /550/);
  assert.match(row.last_error, /Recipient address rejected/);
  const member = await db('members').where({ email: rejected }).first('id');
  const [status] = await mailStatusForMember(db, member.id);
  assert.equal(status!.status, 'failed');
  assert.equal(status!.problem, 'address-rejected', 'staff are told to check the address with the member');
  assert.match(status!.rawReason ?? '', /550/);
  assert.equal((await db('mail_queue').where({ id: fineId }).first()).status, 'sent', 'the other mail went');
  const links = await db('set_password_links').where({ mail_id: rejectedId }).whereNull('revoked_at');
  assert.deepEqual(links, [], 'the rejected mail\'s link does not stay valid');
  deps.transport.close();
});
