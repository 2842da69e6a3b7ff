import assert from 'node:assert/strict';
import { before, beforeEach, test } from 'node:test';
import { demoIds, lastMailId, noticeText, StaffClient } from '../helpers/admin-api.js';
import { type Portal, startClean, startPortal } from '../helpers/portal.js';
import { ESIMERKKILA, FEDERATION, MALLILA } from '../helpers/demo-accounts.js';
import { WebClient } from '../helpers/web-client.js';

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
beforeEach(() => startClean(portal));

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
  const federation = await StaffClient.login(portal.base, ...FEDERATION); // logging in is itself audited
  const before = await snapshot(caseId, '200003');
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
  const federation = await StaffClient.login(portal.base, ...FEDERATION);
  const before = await snapshot(caseId, '200002');
  const answer = await federation.post(resolve(caseId), { memberNumber: '200002' });
  assert.equal(answer.json.notice.type, 'error');
  assert.equal(
    noticeText(answer.json.notice),
    'Tapausta ei ratkaistu, eikä mitään muutettu: jäsenelle 200002 on lähetetty jo 5 salasanalinkkiä tunnin sisällä. Yritä uudelleen tunnin kuluttua.',
  );
  assert.deepEqual(await snapshot(caseId, '200002'), before);
});

test('failed orders and the member\'s own request for one address make one case, which resolving closes', async () => {
  const pekka = ids.member('200002');
  const client = new WebClient(portal.base);
  await client.get('/tilaa-salasana');
  for (const typed of ['pekka.puuttuva@example.fi', ' Pekka.Puuttuva@example.fi']) assert.equal((await client.post('/tilaa-salasana', { email: typed })).status, 200);
  await client.post('/tilaa-salasana/pyynto', { memberNumber: '200002', name: 'Pekka Puuttuva', emailToAdd: 'pekka.puuttuva@example.fi' });
  const open = await portal.db('not_found_cases').where({ address: 'pekka.puuttuva@example.fi' }).whereNull('resolved_at');
  assert.equal(open.length, 1, 'one open case for the address');
  assert.equal(open[0].attempts, 2, 'two failed orders');
  assert.deepEqual([open[0].name, open[0].member_number, open[0].association_id], ['Pekka Puuttuva', '200002', ids.mallila]);
  assert.notEqual(open[0].requested_at, null);

  const federation = await StaffClient.login(portal.base, ...FEDERATION);
  const opened = await federation.get(resolve(open[0].id));
  assert.equal(opened.status, 200);
  assert.deepEqual(opened.json.suggestions.map((s: { memberNumber: string; reason: string }) => [s.memberNumber, s.reason]).slice(0, 1), [['200002', 'number']]);
  assert.deepEqual(opened.json.suggestions[0], { id: pekka, memberNumber: '200002', name: 'Pekka Puuttuva', association: 'Mallilan Invalidit ry', email: null, hasPassword: false, whyNoLink: null, reason: 'number' });

  const answer = await federation.post(resolve(open[0].id), { memberId: String(pekka) });
  assert.equal(answer.json.notice.type, 'success');
  assert.equal(noticeText(answer.json.notice), 'Tapaus ratkaistu: osoite pekka.puuttuva@example.fi lisättiin jäsenelle 200002, salasanalinkki on lähtemässä ja tapaus suljettiin.');
  assert.equal(await portal.db('not_found_cases').where({ address: 'pekka.puuttuva@example.fi' }).whereNull('resolved_at').first(), undefined);
  await portal.deliverMail();
  assert.equal(portal.smtp.messages.length, 1, 'one mail for the one member');
  await portal.db('members').where({ id: pekka }).update({ email: null });
});

test('suggestions without a number: names that resemble the address; the search finds by name, number and address, in scope', async () => {
  const teemu = ids.member('100003');
  const caseId = await openCase('teemu.testaaja@example.fi');
  const federation = await StaffClient.login(portal.base, ...FEDERATION);
  const opened = await federation.get(resolve(caseId));
  const first = opened.json.suggestions[0];
  assert.deepEqual([first.id, first.reason, first.email, first.whyNoLink], [teemu, 'address', null, null], JSON.stringify(opened.json.suggestions));

  const find = (q: string, client = federation) => client.get(`/admin/api/resources/not_found_cases/records/${caseId}/findMembers?q=${encodeURIComponent(q)}`);
  const numbers = async (q: string, client = federation) => (await find(q, client)).json.choices.map((c: { memberNumber: string }) => c.memberNumber);
  assert.deepEqual(await numbers('Puuttuva'), ['200002']);
  assert.deepEqual(await numbers('2000'), ['200001', '200002', '200003']);
  assert.deepEqual(await numbers('liisa.esim'), ['200001']);
  assert.deepEqual(await numbers('x'), [], 'too short to search');
  const ended = (await find('Ulkona')).json.choices[0];
  assert.equal(ended.whyNoLink, 'ended', 'the choice says up front that no link can be sent');

  // Association staff see the case only when it reached their association, and find only their own members.
  await portal.db('not_found_cases').where({ id: caseId }).update({ association_id: ids.esimerkkila });
  const esimerkkila = await StaffClient.login(portal.base, ...ESIMERKKILA);
  assert.deepEqual(await numbers('Puuttuva', esimerkkila), [], 'not another association\'s member');
  assert.deepEqual(await numbers('Testaaja', esimerkkila), ['100003']);
  const mallila = await StaffClient.login(portal.base, ...MALLILA);
  assert.equal((await find('Puuttuva', mallila)).json.choices, undefined, 'not another association\'s case');
  await portal.db('not_found_cases').where({ id: caseId }).delete();
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
