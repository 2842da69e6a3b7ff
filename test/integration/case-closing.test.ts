import assert from 'node:assert/strict';
import { before, beforeEach, test } from 'node:test';
import { demoIds, lastMailId, noticeText, StaffClient } from '../helpers/admin-api.js';
import { ESIMERKKILA, FEDERATION, MALLILA } from '../helpers/demo-accounts.js';
import { type Portal, startClean, startPortal } from '../helpers/portal.js';

/**
 * A morning's queue of "user not found" cases can be cleared from the case page: a case no member can
 * be given (membership ended, not a member) is closed with a reason and nothing else changes; each
 * answer names the next open case; the dashboard counts the open cases no association would see.
 */
let portal: Portal;
let ids: Awaited<ReturnType<typeof demoIds>>;
const api = (caseId: number, action: string) => `/admin/api/resources/not_found_cases/records/${caseId}/${action}`;

before(async () => {
  portal = await startPortal();
  ids = await demoIds(portal.db);
});
beforeEach(async () => {
  await startClean(portal);
  await portal.db('not_found_cases').delete(); // each test's queue is its own
});

async function openCase(email: string, associationId: number | null = null): Promise<number> {
  const [{ id }] = await portal.db('not_found_cases').insert({ email_typed: email, association_id: associationId }).returning('id');
  return Number(id);
}

test('a case for an ended membership cannot be resolved, but is closed with its reason: no address added, no mail, audited', async () => {
  const caseId = await openCase('ulla.ulkona@gmail.example');
  const federation = await StaffClient.login(portal.base, ...FEDERATION);
  const refused = await federation.post(api(caseId, 'resolve'), { memberNumber: '200003' });
  assert.equal(refused.json.notice.type, 'error');
  const mailBefore = await lastMailId(portal.db);
  const ulla = await portal.db('members').where({ member_number: '200003' }).first('email');

  const closed = await federation.post(api(caseId, 'closeCase'), { reason: 'membership-ended' });
  assert.equal(closed.status, 200);
  assert.equal(closed.json.notice.type, 'success');
  assert.equal(noticeText(closed.json.notice), 'Tapaus suljettu ilman linkkiä. Osoitetta ei lisätty kenellekään eikä viestiä lähetetty.');
  const row = await portal.db('not_found_cases').where({ id: caseId }).first();
  assert.notEqual(row.resolved_at, null);
  assert.equal(row.closed_reason, 'membership-ended');
  assert.equal(row.resolved_member_id, null);
  assert.equal((await portal.db('members').where({ member_number: '200003' }).first('email')).email, ulla.email, 'the member is unchanged');
  assert.equal(await lastMailId(portal.db), mailBefore, 'no mail');
  const audit = await portal.db('audit_log').where({ action: 'case.closed' }).orderBy('id', 'desc').first();
  assert.deepEqual(audit.details, { caseId, address: 'ulla.ulkona@gmail.example', reason: 'membership-ended' });
  assert.match(audit.actor_label, /jasenpalvelut@liitto\.example/);

  const again = await federation.post(api(caseId, 'closeCase'), { reason: 'not-member' });
  assert.equal(noticeText(again.json.notice), 'Tapaus on jo ratkaistu.');
  assert.equal((await portal.db('not_found_cases').where({ id: caseId }).first('closed_reason')).closed_reason, 'membership-ended');
});

test('closing needs one of the reasons; anything else changes nothing', async () => {
  const caseId = await openCase('joku.muu@example.fi');
  const federation = await StaffClient.login(portal.base, ...FEDERATION);
  const auditBefore = Number((await portal.db('audit_log').max({ id: 'id' }).first())?.id ?? 0);
  for (const payload of [{}, { reason: '' }, { reason: 'because' }, { reason: 'not-member ' }] as Array<Record<string, string>>) {
    const answer = await federation.post(api(caseId, 'closeCase'), payload);
    assert.equal(answer.status, 200);
    assert.equal(noticeText(answer.json.notice), 'Valitse ensin, miksi tapaus suljetaan.', JSON.stringify(payload));
  }
  assert.equal((await portal.db('not_found_cases').where({ id: caseId }).first('resolved_at')).resolved_at, null);
  assert.equal(await portal.db('audit_log').where({ action: 'case.closed' }).where('id', '>', auditBefore).first(), undefined);
});

test('association staff close only their own association\'s cases', async () => {
  const mallilaCase = await openCase('mallilan.kysyja@example.fi', ids.mallila);
  const nobodysCase = await openCase('kenenkaan.ei@example.fi');
  const esimerkkila = await StaffClient.login(portal.base, ...ESIMERKKILA);
  for (const caseId of [mallilaCase, nobodysCase]) {
    const answer = await esimerkkila.post(api(caseId, 'closeCase'), { reason: 'not-member' });
    assert.notEqual(answer.json.notice?.type, 'success', `case ${caseId}`);
    assert.equal((await portal.db('not_found_cases').where({ id: caseId }).first('resolved_at')).resolved_at, null);
  }
  const mallila = await StaffClient.login(portal.base, ...MALLILA);
  assert.equal((await mallila.post(api(mallilaCase, 'closeCase'), { reason: 'handled-otherwise' })).json.notice.type, 'success');
});

test('every answer of the case page names the next open case, the longest waiting first, until none is left', async () => {
  const first = await openCase('eka@example.fi');
  const second = await openCase('toka@example.fi');
  const third = await openCase('kolmas@example.fi');
  const federation = await StaffClient.login(portal.base, ...FEDERATION);
  assert.equal((await federation.get(api(second, 'resolve'))).json.nextCaseId, first);
  assert.equal((await federation.post(api(first, 'closeCase'), { reason: 'not-member' })).json.nextCaseId, second);
  assert.equal((await federation.post(api(second, 'closeCase'), { reason: 'not-member' })).json.nextCaseId, third);
  assert.equal((await federation.post(api(third, 'closeCase'), { reason: 'handled-otherwise' })).json.nextCaseId, null);
});

test('the dashboard counts the open cases that belong to no association, for member services only; the list filters them', async () => {
  await openCase('ilman.yhdistysta@example.fi');
  await openCase('toinen.ilman@example.fi');
  const closedOne = await openCase('suljettu@example.fi');
  await openCase('mallilan@example.fi', ids.mallila);
  const federation = await StaffClient.login(portal.base, ...FEDERATION);
  await federation.post(api(closedOne, 'closeCase'), { reason: 'not-member' });

  assert.equal((await federation.get('/admin/api/dashboard')).json.casesWithoutAssociation, 2);
  const esimerkkila = await StaffClient.login(portal.base, ...ESIMERKKILA);
  assert.equal((await esimerkkila.get('/admin/api/dashboard')).json.casesWithoutAssociation, null);

  const list = async (client: StaffClient, state: string) =>
    ((await client.get(`/admin/api/resources/not_found_cases/actions/list?filters.state=${state}`)).json.records as Array<{ params: { address: string } }>).map((r) => r.params.address).sort();
  assert.deepEqual(await list(federation, 'open-no-association'), ['ilman.yhdistysta@example.fi', 'toinen.ilman@example.fi']);
  assert.deepEqual(await list(federation, 'open'), ['ilman.yhdistysta@example.fi', 'mallilan@example.fi', 'toinen.ilman@example.fi']);
  assert.deepEqual(await list(federation, 'handled'), ['suljettu@example.fi']);
  assert.deepEqual(await list(esimerkkila, 'open'), []);
  assert.equal((await federation.get('/admin/api/resources/not_found_cases/actions/list?filters.state=everything')).status, 400);
});
