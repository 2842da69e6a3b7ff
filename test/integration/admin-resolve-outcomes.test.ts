import assert from 'node:assert/strict';
import { before, beforeEach, test } from 'node:test';
import { demoIds, lastMailId, noticeText, StaffClient } from '../helpers/admin-api.js';
import { startPortal, type Portal } from '../helpers/portal.js';
import { FEDERATION } from '../helpers/demo-accounts.js';

/**
 * Resolving a "user not found" case is done or clearly not done: when no link can be sent, nothing
 * changes (the case stays open, the member keeps their address) and staff are told why; when it is
 * done, the other open cases for the same address close with it.
 */
let portal: Portal;
let ids: Awaited<ReturnType<typeof demoIds>>;
const resolve = (caseId: number) => `/admin/api/resources/not_found_cases/records/${caseId}/resolve`;

before(async () => {
  portal = await startPortal();
  ids = await demoIds(portal.db);
});
beforeEach(async () => {
  await portal.db('rate_limits').delete();
  await portal.deliverMail();
  portal.smtp.clear();
});

async function openCase(email: string): Promise<number> {
  const [{ id }] = await portal.db('not_found_cases').insert({ email_typed: email }).returning('id');
  return Number(id);
}

async function snapshot(caseId: number, memberNumber: string) {
  return {
    case: await portal.db('not_found_cases').where({ id: caseId }).first('resolved_at', 'resolved_member_id'),
    email: (await portal.db('members').where({ member_number: memberNumber }).first('email')).email,
    lastMail: await lastMailId(portal.db),
    audit: Number((await portal.db('audit_log').max({ id: 'id' }).first())?.id ?? 0),
  };
}

test('resolving for a member whose membership has ended says no link was sent, and changes nothing', async () => {
  const caseId = await openCase('ulla.uusi@example.fi');
  const before = await snapshot(caseId, '200003');
  const federation = await StaffClient.login(portal.base, ...FEDERATION);
  const answer = await federation.post(resolve(caseId), { memberNumber: '200003' });
  assert.equal(answer.status, 200);
  assert.equal(answer.json.notice.type, 'error');
  assert.equal(
    noticeText(answer.json.notice),
    'Tapausta ei ratkaistu, eikä mitään muutettu: jäsenen 200003 jäsenyys on päättynyt, joten hänelle ei voi lähettää salasanalinkkiä.',
  );
  assert.deepEqual(await snapshot(caseId, '200003'), before, 'the case is open, the address unchanged, no mail, no audit row');
  await portal.deliverMail();
  assert.deepEqual(portal.smtp.messages, []);
});

test('resolving for a member over the hourly link limit says so, and changes nothing', async () => {
  const pekka = ids.member('200002');
  const caseId = await openCase('pekka.uusi@example.fi');
  await portal.db('rate_limits').insert({ key: `link-member:${pekka}`, points: 5, expire: Date.now() + 3_600_000 });
  const before = await snapshot(caseId, '200002');
  const federation = await StaffClient.login(portal.base, ...FEDERATION);
  const answer = await federation.post(resolve(caseId), { memberNumber: '200002' });
  assert.equal(answer.json.notice.type, 'error');
  assert.equal(
    noticeText(answer.json.notice),
    'Tapausta ei ratkaistu, eikä mitään muutettu: jäsenelle 200002 on lähetetty jo 5 salasanalinkkiä tunnin sisällä. Yritä uudelleen tunnin kuluttua.',
  );
  assert.deepEqual(await snapshot(caseId, '200002'), before);
});

test('resolving one case closes its twins for the same address and says how many', async () => {
  const pekka = ids.member('200002');
  const first = await openCase('pekka.puuttuva@example.fi');
  const twin = await openCase('Pekka.Puuttuva@example.fi');
  const federation = await StaffClient.login(portal.base, ...FEDERATION);
  const answer = await federation.post(resolve(first), { memberNumber: '200002' });
  assert.equal(answer.json.notice.type, 'success');
  assert.equal(
    noticeText(answer.json.notice),
    'Tapaus ratkaistu: osoite pekka.puuttuva@example.fi lisättiin jäsenelle 200002, salasanalinkki on lähtemässä ja tapaus suljettiin. Myös toinen saman osoitteen tapaus suljettiin.',
  );
  const twinRow = await portal.db('not_found_cases').where({ id: twin }).first();
  assert.notEqual(twinRow.resolved_at, null);
  assert.equal(twinRow.resolved_member_id, pekka);
  await portal.deliverMail();
  assert.equal(portal.smtp.messages.length, 1, 'one mail for the one member');
  await portal.db('members').where({ id: pekka }).update({ email: null });
});

test('the notice for every outcome exists in Finnish, Swedish and English', () => {
  const outcomes = [
    { message: 'caseResolved', options: { count: 0, address: 'a@example.fi', memberNumber: '1' } },
    ...['ended', 'no-email', 'too-many', 'not-visible', 'failed'].map((reason) => ({ message: `caseNotResolved_${reason}`, options: { memberNumber: '1' } })),
    ...['noMemberNumber', 'notVisible', 'noAddress', 'alreadyResolved', 'invalidAddress'].map((kind) => ({ message: `case_${kind}` })),
    ...['queued', 'no-email', 'ended', 'too-many', 'not-visible', 'failed'].map((outcome) => ({ message: `linkSent_${outcome}`, options: { memberNumber: '1' } })),
  ];
  for (const language of ['fi', 'sv', 'en'] as const) {
    for (const notice of outcomes) assert.doesNotMatch(noticeText(notice, language), /\{\{/, `${language} ${notice.message}`);
  }
});
