import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seedDemoData } from '../../seeds/demo.js';
import { spawnApp, type AppProcess } from '../helpers/app-process.js';
import { createTestDatabase } from '../helpers/database.js';
import { startSmtpSink } from '../helpers/smtp-sink.js';
import { addTestMembers } from '../helpers/test-members.js';

/**
 * Reminders before first-time links run out (src/passwords/link-reminders.ts) are sent by every
 * process that runs the background worker. Two OS processes run the reminder round against one
 * database at the same moment, in small slices so that their claims interleave: each link is
 * reminded exactly once, each member gets exactly one mail, and processes started again later (a
 * restart) find nothing more to do.
 */
const MEMBERS = 80;
const START_LOCK = 7_314_001;

test('two processes at once: exactly one reminder per first-time link, one mail per member; nothing more after a restart', async () => {
  const { db, url } = await createTestDatabase();
  await seedDemoData(db, { bcryptCost: 10 });
  const emails = await addTestMembers(db, MEMBERS, 'kaksi');
  // First links mailed 160 hours ago (sent), 8 hours left of their 168.
  await db.raw(
    `WITH m AS (SELECT id, email FROM members WHERE email = ANY(?)),
     mails AS (
       INSERT INTO mail_queue (template, to_address, language, data, status, attempts, sent_at, created_at)
       SELECT 'set-password-link', email, 'fi', jsonb_build_object('memberIds', jsonb_build_array(id)), 'sent', 1, now() - interval '160 hours', now() - interval '160 hours' FROM m
       RETURNING id, (data->'memberIds'->>0)::int AS member_id),
     concerned AS (INSERT INTO mail_queue_members (mail_id, member_id) SELECT id, member_id FROM mails)
     INSERT INTO set_password_links (token_hash, member_id, mail_id, created_at, expires_at)
     SELECT sha256(convert_to(random()::text || id, 'UTF8')), member_id, id, now() - interval '160 hours', now() + interval '8 hours' FROM mails`,
    [emails],
  );
  const smtp = await startSmtpSink();
  const env = { DATABASE_URL: url, SMTP_URL: smtp.url, PUBLIC_URL: 'http://asiointi.example.fi', NODE_ENV: 'test', START_LOCK: String(START_LOCK), SLICE: '3' };

  const round = async () => {
    // Both processes connect and wait on the lock this transaction holds; committing lets them go together.
    const gate = await db.transaction();
    await gate.raw('select pg_advisory_xact_lock(?)', [START_LOCK]);
    const processes = [spawnApp('test/helpers/reminder-round-child.ts', env), spawnApp('test/helpers/reminder-round-child.ts', env)];
    try {
      await Promise.all(processes.map((p) => p.waitForLine(/"msg":"ready"/, 60_000)));
    } finally {
      await gate.commit();
    }
    return Promise.all(processes.map(async (p: AppProcess) => {
      const line = await p.waitForLine(/"msg":"done"/, 60_000);
      assert.deepEqual({ code: (await p.exited).code }, { code: 0 }, p.lines.join('\n'));
      return JSON.parse(line) as { reminded: number; claims: number; sent: number };
    }));
  };

  const first = await round();
  assert.equal(first[0]!.reminded + first[1]!.reminded, MEMBERS, `every due link reminded once between them: ${JSON.stringify(first)}`);
  assert.ok(first.every((p) => p.reminded > 0), `both processes claimed links at the same time: ${JSON.stringify(first)}`);

  const count = async (query: ReturnType<typeof db>) => Number(((await query.count('* as n')) as Array<{ n: string | number }>)[0]!.n);
  assert.equal(await count(db('set_password_links').whereNotNull('reminder_for')), MEMBERS, 'one reminder link per old link');
  assert.equal(await count(db('set_password_links').where({ revoked_reason: 'reminded' })), MEMBERS);
  assert.equal(await count(db('mail_queue').where({ template: 'link-reminder' })), MEMBERS, 'one reminder mail per member');
  assert.equal(await count(db('audit_log').where({ action: 'set-password-link.reminder-queued' })), MEMBERS);
  const perMember = await db('mail_queue_members as mm').join('mail_queue as q', 'q.id', 'mm.mail_id').where('q.template', 'link-reminder').groupBy('mm.member_id').select(db.raw('count(*)::int as n'));
  assert.deepEqual([...new Set(perMember.map((r) => r.n))], [1]);

  await smtp.waitFor(MEMBERS, 30_000);
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(smtp.messages.length, MEMBERS);
  assert.deepEqual(new Set(smtp.messages.map((m) => [m.to ?? []].flat().map((to) => to.text).join(', '))), new Set(emails), 'each member got one reminder');
  assert.ok(smtp.messages.every((m) => /^Muistutus: salasanalinkkisi vanhenee pian/.test(m.subject ?? '')));

  const again = await round();
  assert.deepEqual(again.map((p) => p.reminded + p.sent), [0, 0], 'restarted processes find nothing more to do');
  assert.equal(await count(db('mail_queue').where({ template: 'link-reminder' })), MEMBERS);
  assert.equal(smtp.messages.length, MEMBERS);
});
