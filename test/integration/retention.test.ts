import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, beforeEach, test } from 'node:test';
import { createDb, type Db } from '../../src/db/connection.js';
import { runMaintenance } from '../../src/maintenance.js';
import { purgeExpiredData } from '../../src/retention.js';
import { seedDemoData } from '../../seeds/demo.js';
import { testConfig } from '../helpers/app.js';
import { onFileEnd } from '../helpers/cleanup.js';
import { createTestDatabase } from '../helpers/database.js';

/**
 * Retention: rows on both sides of every boundary, made by moving their times into the past in the
 * database (never by waiting). Each test starts from empty retention tables, so counts are exact.
 */

let db: Db;
let url: string;
let maija: number;
let matti: number;
let liisa: number;
let staffId: number;

before(async () => {
  ({ db, url } = await createTestDatabase());
  await seedDemoData(db, { bcryptCost: 10 });
  const id = async (number: string) => (await db('members').where({ member_number: number }).first('id')).id as number;
  [maija, matti, liisa] = [await id('100001'), await id('100002'), await id('200001')];
  staffId = (await db('staff_users').where({ email: 'jasenpalvelut@liitto.example' }).first('id')).id;
});

beforeEach(async () => {
  await db.raw('TRUNCATE mail_queue, mail_queue_members, set_password_links, activation_codes, link_batches, link_batch_members, dev_mailbox, audit_log, not_found_cases, member_sessions, staff_sessions, rate_limits');
});

const ago = (days: number) => db.raw('now() - make_interval(days => ?)', [days]);
const ids = (rows: Array<{ id: number | string }>) => rows.map((row) => Number(row.id)).sort((a, b) => a - b);
const remaining = async (table: string) => ids(await db(table).select('id'));

async function mail(status: string, created: number, ended: number | null, members: number[] = [maija]): Promise<number> {
  const [{ id }] = await db('mail_queue')
    .insert({
      template: 'set-password-link',
      to_address: 'maija.meikalainen@example.fi',
      language: 'fi',
      status,
      created_at: ago(created),
      sent_at: status === 'sent' && ended !== null ? ago(ended) : null,
      next_attempt_at: ago(ended ?? created),
    })
    .returning('id');
  await db('mail_queue_members').insert(members.map((member) => ({ mail_id: id, member_id: member })));
  return Number(id);
}

async function link(times: { used?: number; revoked?: number; expires: number }, mailId: number | null = null): Promise<number> {
  const [{ id }] = await db('set_password_links')
    .insert({
      token_hash: randomBytes(32),
      member_id: maija,
      mail_id: mailId,
      created_at: ago(Math.max(times.expires, times.used ?? 0, times.revoked ?? 0) + 1),
      expires_at: ago(times.expires),
      used_at: times.used === undefined ? null : ago(times.used),
      revoked_at: times.revoked === undefined ? null : ago(times.revoked),
      revoked_reason: times.revoked === undefined ? null : 'password-set',
    })
    .returning('id');
  return Number(id);
}

/** A printed letter's code for Maija (its own code, so that the hash is unique), ended or not as `times` say. */
async function activationCode(times: { used?: number; revoked?: number; expires: number }): Promise<number> {
  const [{ id }] = await db('activation_codes')
    .insert({
      member_id: maija,
      code_hash: randomBytes(32),
      created_at: ago(Math.max(times.expires, times.used ?? 0, times.revoked ?? 0) + 1),
      expires_at: ago(times.expires),
      used_at: times.used === undefined ? null : ago(times.used),
      revoked_at: times.revoked === undefined ? null : ago(times.revoked),
      revoked_reason: times.revoked === undefined ? null : 'superseded',
    })
    .returning('id');
  return Number(id);
}

async function linkSend(created: number, outcomes: Array<string | null>): Promise<number> {
  const [{ id }] = await db('link_batches').insert({ staff_user_id: staffId, created_at: ago(created) }).returning('id');
  const members = [maija, matti, liisa];
  await db('link_batch_members').insert(outcomes.map((outcome, i) => ({ batch_id: id, member_id: members[i], address: 'x@example.fi', outcome })));
  return Number(id);
}

const datedRows = async (table: string, column: string, days: number[], extra: Record<string, unknown>) =>
  ids(await db(table).insert(days.map((d) => ({ ...extra, [column]: ago(d) }))).returning('id'));
/** Open cases, one per address (as the register allows), whose last attempt was so many days ago. */
const datedCases = async (days: number[]) =>
  ids(await db('not_found_cases').insert(days.map((d, i) => ({ email_typed: `x${i}@example.fi`, created_at: ago(d), last_attempt_at: ago(d) }))).returning('id'));

test('retention removes what it should and nothing else', async () => {
  const sentOld = await mail('sent', 91, 91, [maija, matti]);
  const failedOld = await mail('failed', 91, 91);
  const kept = {
    mail: [
      await mail('queued', 91, null),
      await mail('retrying', 91, null),
      await mail('sending', 91, null),
      await mail('sent', 89, 89),
      await mail('failed', 89, 89),
      await mail('sent', 91, 89), // waited two days in the queue: counts from when it left
    ],
    links: [
      await link({ expires: -1 }), // still valid
      await link({ used: 89, expires: 80 }),
      await link({ revoked: 1, expires: -5 }),
      await link({ expires: 89 }),
      await link({ used: 89, expires: 85 }, sentOld), // its mail goes, the link stays (without it)
    ],
    activationCodes: [await activationCode({ expires: -1 }), await activationCode({ used: 89, expires: 80 }), await activationCode({ revoked: 1, expires: -5 }), await activationCode({ expires: 89 })],
    linkSends: [await linkSend(31, ['queued', null]), await linkSend(31, ['sending']), await linkSend(29, ['queued', 'no-email'])],
  };
  // Gone: used, revoked (the first end counts, not the later expiry) and expired over 90 days ago.
  await link({ used: 91, expires: 85 });
  await link({ revoked: 91, expires: 60 });
  await link({ expires: 91 });
  // Codes go the same way: used, superseded or expired over 90 days ago.
  await activationCode({ used: 91, expires: 85 });
  await activationCode({ revoked: 91, expires: 60 });
  await activationCode({ expires: 91 });
  const finishedSend = await linkSend(31, ['queued', 'no-email', 'too-many']);
  const [, devRecent] = await datedRows('dev_mailbox', 'created_at', [8, 6], { to_address: 'a@example.fi', subject: 's', text: 't', html: 'h' });
  const [, auditRecent] = await datedRows('audit_log', 'at', [731, 729], { actor_type: 'system', action: 'test' });
  const [, caseRecent] = await datedCases([91, 89]);
  // Filed long ago, but tried again lately: its last activity counts.
  const [{ id: caseActive }] = await db('not_found_cases').insert({ email_typed: 'active@example.fi', created_at: ago(200), last_attempt_at: ago(1) }).returning('id');
  for (const table of ['member_sessions', 'staff_sessions']) {
    await db(table).insert([
      { sid: `${table}-old`, sess: '{}', expire: db.raw(`now() - interval '1 minute'`) },
      { sid: `${table}-live`, sess: '{}', expire: db.raw(`now() + interval '1 minute'`) },
    ]);
  }
  await db('rate_limits').insert([
    { key: 'old', points: 3, expire: Date.now() - 1000 },
    { key: 'live', points: 3, expire: Date.now() + 60_000 },
  ]);

  const removed = await runMaintenance(db, testConfig());

  assert.deepEqual(removed, { sessions: 2, counters: 1, cases: 1, linkSends: 1, links: 3, activationCodes: 3, mail: 2, devMailbox: 1, audit: 1, actorLabels: 0 });
  assert.deepEqual(await remaining('mail_queue'), kept.mail);
  assert.equal((await db('mail_queue_members').whereIn('mail_id', [sentOld, failedOld])).length, 0, 'the removed mail took its member rows');
  assert.equal((await db('mail_queue_members').whereIn('mail_id', kept.mail)).length, 6, 'kept mail keeps its member rows');
  assert.deepEqual(await remaining('set_password_links'), kept.links);
  assert.equal((await db('set_password_links').where({ id: kept.links[4] }).first()).mail_id, null);
  assert.deepEqual(await remaining('activation_codes'), kept.activationCodes);
  assert.deepEqual(await remaining('link_batches'), kept.linkSends);
  assert.equal((await db('link_batch_members').where({ batch_id: finishedSend })).length, 0, 'the removed send took its member rows');
  assert.equal((await db('link_batch_members').whereIn('batch_id', kept.linkSends)).length, 5);
  assert.deepEqual(await remaining('dev_mailbox'), [devRecent]);
  assert.deepEqual(await remaining('audit_log'), [auditRecent]);
  assert.deepEqual(await remaining('not_found_cases'), [caseRecent, Number(caseActive)]);
  assert.deepEqual(await db('member_sessions').pluck('sid'), ['member_sessions-live']);
  assert.deepEqual(await db('staff_sessions').pluck('sid'), ['staff_sessions-live']);
  assert.deepEqual(await db('rate_limits').pluck('key'), ['live']);

  assert.deepEqual(await runMaintenance(db, testConfig()), { sessions: 0, counters: 0, cases: 0, linkSends: 0, links: 0, activationCodes: 0, mail: 0, devMailbox: 0, audit: 0, actorLabels: 0 }, 'a second run finds nothing');
});

test('retention periods set in the configuration are honoured', async () => {
  const config = testConfig({
    MAIL_RETENTION_DAYS: '10',
    LINK_RETENTION_DAYS: '12',
    LINK_SEND_RETENTION_DAYS: '5',
    DEV_MAILBOX_RETENTION_DAYS: '2',
    CASE_RETENTION_DAYS: '20',
    AUDIT_RETENTION_DAYS: '100',
  });
  const mailKept = await mail('sent', 9, 9);
  await mail('sent', 11, 11);
  const linkKept = await link({ used: 11, expires: 5 });
  await link({ used: 13, expires: 5 });
  const codeKept = await activationCode({ used: 11, expires: 5 });
  await activationCode({ used: 13, expires: 5 });
  const sendKept = await linkSend(4, ['queued']);
  await linkSend(6, ['queued']);
  const [, devKept] = await datedRows('dev_mailbox', 'created_at', [3, 1], { to_address: 'a@example.fi', subject: 's', text: 't', html: 'h' });
  const [, caseKept] = await datedCases([21, 19]);
  const [, auditKept] = await datedRows('audit_log', 'at', [101, 99], { actor_type: 'system', action: 'test' });

  const removed = await runMaintenance(db, config);

  assert.deepEqual(removed, { sessions: 0, counters: 0, cases: 1, linkSends: 1, links: 1, activationCodes: 1, mail: 1, devMailbox: 1, audit: 1, actorLabels: 0 });
  assert.deepEqual(await remaining('mail_queue'), [mailKept]);
  assert.deepEqual(await remaining('set_password_links'), [linkKept]);
  assert.deepEqual(await remaining('activation_codes'), [codeKept]);
  assert.deepEqual(await remaining('link_batches'), [sendKept]);
  assert.deepEqual(await remaining('dev_mailbox'), [devKept]);
  assert.deepEqual(await remaining('not_found_cases'), [caseKept]);
  assert.deepEqual(await remaining('audit_log'), [auditKept]);
});

/** 2 500 sent mails made 100 days ago, each concerning Maija, and one recent one. */
async function manyOldMails(): Promise<number> {
  await db.raw(`
    WITH made AS (
      INSERT INTO mail_queue (template, to_address, language, status, created_at, sent_at, next_attempt_at)
      SELECT 'set-password-link', 'maija.meikalainen@example.fi', 'fi', 'sent', now() - interval '100 days', now() - interval '100 days', now() - interval '100 days'
      FROM generate_series(1, 2500)
      RETURNING id)
    INSERT INTO mail_queue_members (mail_id, member_id) SELECT id, ? FROM made`, [maija]);
  return mail('sent', 1, 1);
}

test('a purge larger than one batch is removed in one run, a thousand rows per statement', async () => {
  const recent = await manyOldMails();
  const deletes: string[] = [];
  const listen = (query: { sql: string }) => {
    if (/^delete from "mail_queue"/.test(query.sql)) deletes.push(query.sql);
  };
  db.on('query', listen);
  try {
    const removed = await runMaintenance(db, testConfig());
    assert.equal(removed.mail, 2500);
  } finally {
    db.removeListener('query', listen);
  }
  assert.equal(deletes.length, 3, 'batches of 1000, 1000 and 500');
  assert.deepEqual(await remaining('mail_queue'), [recent]);
  assert.equal((await db('mail_queue_members').count({ n: '*' }).first())!.n, 1);
});

test('processes purging at the same time share the work and remove every row once', async () => {
  const recent = await manyOldMails();
  const others = [createDb(url, { max: 2 }), createDb(url, { max: 2 })];
  onFileEnd(() => Promise.all(others.map((other) => other.destroy())));
  const config = testConfig();

  const results = await Promise.all([...others, db].map((each) => purgeExpiredData(each, config, 100)));

  assert.equal(results.reduce((sum, result) => sum + result.mail, 0), 2500);
  assert.deepEqual(await remaining('mail_queue'), [recent]);
});

test('a purge does not wait for a row another transaction holds; the next run takes it', async () => {
  const held = await mail('sent', 91, 91);
  await mail('failed', 91, 91);
  const trx = await db.transaction();
  try {
    await trx('mail_queue').where({ id: held }).forUpdate().first();
    const waited = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the purge waited for the held row')), 10_000).unref());
    const removed = await Promise.race([purgeExpiredData(db, testConfig()), waited]);
    assert.equal(removed.mail, 1);
    assert.deepEqual(await remaining('mail_queue'), [held]);
  } finally {
    await trx.rollback();
  }
  assert.equal((await runMaintenance(db, testConfig())).mail, 1);
  assert.deepEqual(await remaining('mail_queue'), []);
});
