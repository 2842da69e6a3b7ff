import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { linkableMembersByEmailQuery, findMemberByNumber, type Member } from '../../src/members/register.js';
import { queueLinkMails, type OrderOutcome } from '../../src/passwords/order-link.js';
import { startPortal, type Portal } from '../helpers/portal.js';

/**
 * queueLinkMails decides, in the one statement that queues the mail, who is within the link-mail
 * allowance, what language each mail goes in and which audit rows are written: the rules a member's
 * order and a staff send share. Each is checked here against what lands in the database, and the
 * statement must be kept or lost whole outside a transaction too.
 */
let portal: Portal;
let shared: Member[]; // Maija 100001 and Matti 100002: maija.meikalainen@example.fi
let liisa: Member;
const allowanceKey = (member: Member) => portal.background.throttles.linkMailsPerMember.getKey(String(member.id));
const setLanguages = (languages: Array<string | null>) => Promise.all(shared.map((member, i) => portal.db('members').where({ id: member.id }).update({ preferred_language: languages[i] })));

before(async () => {
  portal = await startPortal();
  shared = await linkableMembersByEmailQuery(portal.db, 'maija.meikalainen@example.fi');
  liisa = (await findMemberByNumber(portal.db, '200001'))!;
  assert.deepEqual(shared.map((member) => member.memberNumber), ['100001', '100002']);
});

async function queue(groups: Member[][], language: 'fi' | 'sv' | 'en' = 'en', actor: { type: 'public' } | { type: 'staff'; id: number } = { type: 'public' }) {
  const fresh = await Promise.all(groups.map((group) => Promise.all(group.map(async (member) => (await findMemberByNumber(portal.db, member.memberNumber))!))));
  return queueLinkMails(portal.background, fresh, { language, actor });
}

function queued(outcome: OrderOutcome | undefined) {
  if (outcome?.kind !== 'queued') return assert.fail(`queued: ${JSON.stringify(outcome)}`);
  return outcome;
}

test('members who agree on a language get their mail in it; otherwise in the language of the page', async () => {
  const cases: Array<[Array<string | null>, string]> = [
    [['sv', 'sv'], 'sv'],
    [['sv', 'fi'], 'en'],
    [['sv', null], 'en'],
    [[null, null], 'en'],
  ];
  for (const [languages, expected] of cases) {
    await portal.db('rate_limits').delete();
    await setLanguages(languages);
    const outcome = queued((await queue([shared]))[0]);
    const mail = await portal.db('mail_queue').where({ id: outcome.mailId }).first();
    assert.equal(mail.language, expected, `members' languages ${JSON.stringify(languages)}`);
  }
  await setLanguages([null, null]);
});

test('several groups: a mail each in the order given, with its members, data and audit rows', async () => {
  await portal.db('rate_limits').delete();
  const staff = await portal.db('staff_users').orderBy('id').first('id', 'name', 'email');
  const outcomes = await queue([shared, [liisa]], 'fi', { type: 'staff', id: staff.id });
  assert.deepEqual(outcomes.map((outcome) => outcome.kind), ['queued', 'queued']);
  const [first, second] = [queued(outcomes[0]), queued(outcomes[1])];
  assert.ok(first.mailId < second.mailId, 'ids drawn in the order of the groups');
  assert.deepEqual([first.members, second.members], [2, 1]);

  const mails = await portal.db('mail_queue').whereIn('id', [first.mailId, second.mailId]).orderBy('id');
  assert.deepEqual(
    mails.map((mail) => ({ to: mail.to_address, template: mail.template, priority: mail.priority, data: mail.data })),
    [
      { to: 'maija.meikalainen@example.fi', template: 'set-password-link', priority: 0, data: { memberIds: shared.map((member) => member.id), sentByStaff: staff.id } },
      { to: liisa.email, template: 'set-password-link', priority: 0, data: { memberIds: [liisa.id], sentByStaff: staff.id } },
    ],
  );
  const concerned = await portal.db('mail_queue_members').whereIn('mail_id', [first.mailId, second.mailId]).orderBy(['mail_id', 'member_id']).select('mail_id', 'member_id');
  assert.deepEqual(concerned, [...shared.map((member) => ({ mail_id: first.mailId, member_id: member.id })), { mail_id: second.mailId, member_id: liisa.id }]);
  const audits = await portal.db('audit_log').where({ action: 'set-password-link.queued' }).whereRaw(`(details->>'mailId')::bigint IN (?, ?)`, [first.mailId, second.mailId]).orderBy('id');
  assert.deepEqual(
    audits.map((row) => ({ actor: [row.actor_type, row.actor_id, row.actor_label], member: row.member_id, details: row.details })),
    [...shared.map((member) => ({ member: member.id, details: { mailId: first.mailId } })), { member: liisa.id, details: { mailId: second.mailId } }].map((row) => ({ actor: ['staff', staff.id, `${staff.name} <${staff.email}>`], ...row })),
  );
});

test('a member over the allowance is left out of the mail; a group with nobody left gets none and says how long to wait', async () => {
  await portal.db('rate_limits').delete();
  const [maija] = shared;
  const limit = portal.background.throttles.linkMailsPerMember.points;
  await portal.db('rate_limits').insert({ key: allowanceKey(maija!), points: limit, expire: Date.now() + 30 * 60_000 });
  const mailsBefore = Number((await portal.db('mail_queue').count({ n: '*' }).first())!.n);

  const partly = queued((await queue([shared]))[0]);
  assert.deepEqual([partly.members, partly.overLimit], [1, ['100001']]);
  const mail = await portal.db('mail_queue').where({ id: partly.mailId }).first();
  assert.deepEqual(mail.data.memberIds, [shared[1]!.id], 'only Matti is in the mail');
  assert.deepEqual(await portal.db('mail_queue_members').where({ mail_id: partly.mailId }).pluck('member_id'), [shared[1]!.id]);
  const audited = await portal.db('audit_log').where({ action: 'set-password-link.queued' }).whereRaw(`details->>'mailId' = ?`, [String(partly.mailId)]).pluck('member_id');
  assert.deepEqual(audited, [shared[1]!.id], 'no audit row says a link went to Maija');

  const [none] = await queue([[maija!]]);
  if (none?.kind !== 'tooMany') return assert.fail(`not queued: ${JSON.stringify(none)}`);
  assert.ok(none.retryAfterMs > 29 * 60_000 && none.retryAfterMs <= 30 * 60_000, `waits for her counter's half hour: ${none.retryAfterMs} ms`);
  assert.equal(Number((await portal.db('mail_queue').count({ n: '*' }).first())!.n), mailsBefore + 1, 'only the first call queued a mail');
});

test('a statement that fails queues nothing and uses none of the allowance, outside a transaction too', async () => {
  await portal.db('rate_limits').delete();
  // A fault at the last step (the audit rows): refused by a constraint added for this test.
  await portal.db.raw(`ALTER TABLE audit_log ADD CONSTRAINT refuse_for_test CHECK (member_id <> ${liisa.id}) NOT VALID`);
  try {
    const mailsBefore = await portal.db('mail_queue').count({ n: '*' }).first();
    await assert.rejects(queue([shared, [liisa]]), /refuse_for_test/);
    assert.deepEqual(await portal.db('mail_queue').count({ n: '*' }).first(), mailsBefore);
    assert.deepEqual(await portal.db('rate_limits').count({ n: '*' }).first(), { n: 0 }, 'no counter was used');
  } finally {
    await portal.db.raw('ALTER TABLE audit_log DROP CONSTRAINT refuse_for_test');
  }
});
