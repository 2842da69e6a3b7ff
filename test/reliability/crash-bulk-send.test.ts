import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seedDemoData } from '../../seeds/demo.js';
import { createDb, type Db } from '../../src/db/connection.js';
import { startLinkSend } from '../../src/passwords/link-batches.js';
import { findActiveStaff } from '../../src/staff/principal.js';
import { spawnApp, type AppProcess } from '../helpers/app-process.js';
import { onFileEnd } from '../helpers/cleanup.js';
import { createTestDatabase } from '../helpers/database.js';
import { startRelay, type Relay } from '../helpers/smtp-relay.js';
import { addTestMembers } from '../helpers/test-members.js';

/**
 * A staff link send to many members survives the worker being killed with SIGKILL at the worst
 * moments: between queueing a group's mail and recording it in the send (held there by a trigger
 * of this file's own database that waits on a lock the test holds; the dead process's connection
 * is then closed, as it is when a process dies before its next statement reaches the database), while messages are with the
 * relay (which withholds its reply), and at a moment nobody chose. The worker runs as a real process
 * (`npm run worker`'s entry); after each kill the claims the dead process left are made stale by
 * moving their time in the database, not by waiting, and a new process carries on.
 *
 * Every member must be reached, none lost, no member queued twice (bookkeeping), each member's hourly
 * link allowance used once; the test prints how many messages the relay got twice because the process
 * died after the relay had them and before it could record that (SMTP's own semantics: at most the
 * messages in flight).
 *
 * CI runs 200 members; `npm run test:full-size` runs 1,000.
 */
const MEMBERS = process.env.TEST_FULL_SIZE === '1' ? 1000 : 200;
const CONNECTIONS = 4;

let db: Db;
let url: string;
let relay: Relay;

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const count = async (query: PromiseLike<Array<{ n: number }>>) => Number((await query)[0]?.n ?? 0);
const recorded = (batchId: number) => count(db('link_batch_members').where({ batch_id: batchId, outcome: 'queued' }).count({ n: '*' }));
const sentMails = () => count(db('mail_queue').where({ status: 'sent' }).count({ n: '*' }));

function startWorker(): AppProcess {
  return spawnApp('src/worker.ts', {
    NODE_ENV: 'production',
    DATABASE_URL: url,
    SMTP_URL: relay.url,
    PUBLIC_URL: 'http://asiointi.example.fi',
    MAIL_CONNECTIONS: String(CONNECTIONS),
    // Slices well under the send, so that the first kill finds one slice recorded and the next held.
    LINK_SEND_SLICE: '20',
  });
}

async function kill(worker: AppProcess) {
  worker.child.kill('SIGKILL');
  await worker.exited;
}

/**
 * What a dead process left claimed becomes due, as it would once its claims ran out. First the
 * statements it had already sent run to their end (a claim it sent just before dying still commits),
 * as they would long before its claims ran out.
 */
async function claimsRunOut() {
  await waitFor('the dead process\'s last statements', async () =>
    (await count(db('pg_stat_activity').whereRaw('datname = current_database() AND pid <> pg_backend_pid()').whereNot({ state: 'idle' }).count({ n: '*' }))) === 0,
  );
  await db('link_batch_members').where({ outcome: 'sending' }).update({ claimed_at: db.raw(`now() - interval '1 hour'`) });
  await db('mail_queue').where({ status: 'sending' }).update({ locked_until: db.raw(`now() - interval '1 second'`), next_attempt_at: db.raw(`now() - interval '1 second'`) });
}

test(`${MEMBERS} staff-sent links, the worker killed with SIGKILL at the worst moments: everyone reached once, nothing lost`, async () => {
  ({ db, url } = await createTestDatabase());
  await seedDemoData(db, { bcryptCost: 10 });
  await addTestMembers(db, MEMBERS, 'crash');
  relay = await startRelay();
  const memberIds: number[] = (await db('members').whereLike('email', 'crash%').select('id')).map((row) => row.id);
  const federation = await db('staff_users').where({ email: 'jasenpalvelut@liitto.example' }).first('id');
  const staff = (await findActiveStaff(db, federation.id))!;
  const batchId = await startLinkSend(db, staff, { memberIds });
  const started = Date.now();

  // 1. Killed between queueing a group's mail and recording it in the send.
  let worker = startWorker();
  await waitFor('a quarter of the send recorded', async () => (await recorded(batchId)) >= MEMBERS / 4);
  const holder = createDb(url, { max: 1 });
  onFileEnd(() => holder.destroy());
  const hold = await holder.transaction();
  await hold.raw('SELECT pg_advisory_xact_lock(911)');
  await db.raw(`
    CREATE FUNCTION hold_bookkeeping() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN PERFORM pg_advisory_xact_lock_shared(911); RETURN NEW; END $$;
    CREATE TRIGGER hold_bookkeeping BEFORE UPDATE ON link_batch_members FOR EACH ROW
      WHEN (NEW.outcome = 'queued' AND OLD.outcome IS DISTINCT FROM 'queued') EXECUTE FUNCTION hold_bookkeeping();`);
  await waitFor('the worker held between queueing and bookkeeping', async () =>
    (await count(db('pg_locks').where({ locktype: 'advisory', objid: 911, granted: false }).count({ n: '*' }))) > 0,
  );
  await kill(worker);
  // The dead process's bookkeeping never reaches the database: its connection goes with it.
  await db.raw(`SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND objid = 911 AND NOT granted`);
  await hold.commit();
  await waitFor('the dead process to leave the database', async () =>
    (await count(db('pg_locks').where({ locktype: 'advisory', objid: 911 }).count({ n: '*' }))) === 0,
  );
  await db.raw('DROP TRIGGER hold_bookkeeping ON link_batch_members; DROP FUNCTION hold_bookkeeping()');
  await claimsRunOut();

  // 2. Killed while messages are with the relay, which has them but withholds its reply.
  worker = startWorker();
  await waitFor('half of the mail sent', async () => (await sentMails()) >= MEMBERS / 2);
  relay.hold(true);
  await waitFor('a message with the relay', async () => relay.held() > 0);
  await new Promise((resolve) => setTimeout(resolve, 200)); // let the other connections reach the relay too
  const withRelay = relay.held();
  await kill(worker);
  relay.hold(false);
  relay.release();
  await claimsRunOut();

  // 3. Killed at a moment nobody chose.
  worker = startWorker();
  await waitFor('three quarters of the mail sent', async () => (await sentMails()) >= (MEMBERS * 3) / 4);
  await kill(worker);
  await claimsRunOut();

  worker = startWorker();
  await waitFor('the send to finish', async () => {
    const waiting = await count(db('link_batch_members').where({ batch_id: batchId }).whereRaw(`outcome IS DISTINCT FROM 'queued'`).count({ n: '*' }));
    const unsent = await count(db('mail_queue').whereNot({ status: 'sent' }).count({ n: '*' }));
    return waiting === 0 && unsent === 0;
  }).catch(async (error: Error) => {
    const rows = await db('link_batch_members').where({ batch_id: batchId }).whereRaw(`outcome IS DISTINCT FROM 'queued'`).select('member_id', 'outcome', 'attempts', 'last_error', 'not_before', 'claimed_at');
    const mails = await db('mail_queue').whereNot({ status: 'sent' }).select('id', 'status', 'attempts', 'last_error', 'next_attempt_at', 'locked_until');
    throw new Error(`${error.message}: link send rows ${JSON.stringify(rows)}, mail ${JSON.stringify(mails)}; worker log:\n${worker.lines.filter((l) => !/"level":30/.test(l)).slice(-20).join('\n')}`);
  });
  const elapsedMs = Date.now() - started;
  await kill(worker);

  // Bookkeeping: exactly one mail per member, each member's allowance used once.
  const perMember: Array<{ member_id: number; mails: number }> = await db('mail_queue_members as qm')
    .join('mail_queue as q', 'q.id', 'qm.mail_id')
    .whereIn('qm.member_id', memberIds)
    .groupBy('qm.member_id')
    .select('qm.member_id', db.raw('count(*)::int as mails'));
  assert.equal(perMember.length, MEMBERS, 'every member has a mail');
  const queuedTwice = perMember.filter((m) => m.mails > 1);
  assert.deepEqual(queuedTwice, [], 'no member was queued twice by the bookkeeping');
  const allowances: Array<{ points: number }> = await db('rate_limits').whereLike('key', 'link-member:%').whereRaw(`split_part(key, ':', 2)::int = ANY(?::int[])`, [memberIds]).select('points');
  assert.equal(allowances.length, MEMBERS);
  assert.deepEqual(allowances.filter((a) => a.points !== 1), [], 'each member\'s hourly link allowance was used once');

  // Delivery: every mail reached the relay; repeats only for what was with the relay at a kill.
  const mailIdOf = new Map<string, number>(
    (await db('set_password_links').whereNotNull('mail_id').select(db.raw(`encode(token_hash, 'hex') as hash`), 'mail_id')).map((row) => [row.hash, Number(row.mail_id)]),
  );
  const received = new Map<number, number>();
  for (const mail of relay.received) {
    const mailId = mailIdOf.get(mail.tokenHashes[0] ?? '');
    if (mailId !== undefined) received.set(mailId, (received.get(mailId) ?? 0) + 1);
  }
  const mailIds = new Set((await db('mail_queue_members').whereIn('member_id', memberIds).select('mail_id')).map((row) => Number(row.mail_id)));
  const reached = [...mailIds].filter((id) => (received.get(id) ?? 0) > 0).length;
  const smtpDuplicates = [...mailIds].reduce((sum, id) => sum + Math.max(0, (received.get(id) ?? 0) - 1), 0);
  console.log(
    `# ${MEMBERS} staff-sent links, 3 SIGKILLs, ${elapsedMs} ms: ${reached} members reached, ${MEMBERS - reached} lost, ` +
      `${queuedTwice.length} queued twice by the bookkeeping, ${smtpDuplicates} delivered twice by SMTP's own semantics ` +
      `(${withRelay} messages were with the relay at the second kill; at most ${CONNECTIONS} are in flight at any kill)`,
  );
  assert.equal(reached, MEMBERS, 'every member reached');
  assert.ok(smtpDuplicates <= withRelay + CONNECTIONS, `${smtpDuplicates} duplicates: at most the messages in flight at the kills`);
});
