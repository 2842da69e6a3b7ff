import assert from 'node:assert/strict';
import { before, beforeEach, test } from 'node:test';
import { createActivationCode } from '../../src/passwords/activation-codes.js';
import { seedDemoData } from '../../seeds/demo.js';
import { demoIds, StaffClient } from '../helpers/admin-api.js';
import { createTestDatabase } from '../helpers/database.js';
import { ESIMERKKILA, MALLILA } from '../helpers/demo-accounts.js';
import { type Portal, startClean, startPortal } from '../helpers/portal.js';

/**
 * The postal address an activation letter goes to (issue #14): in the demo register for the members
 * without email, and edited by staff in the back-office's form like the email — through one change
 * service, audited old → new, within the staff member's own association.
 */
let portal: Portal;
let ids: Awaited<ReturnType<typeof demoIds>>;
const edit = (memberId: number) => `/admin/api/resources/members/records/${memberId}/edit`;

before(async () => {
  portal = await startPortal();
  ids = await demoIds(portal.db);
});
beforeEach(() => startClean(portal));

test('the demo register has postal addresses, the members without email included', async () => {
  const { db } = await createTestDatabase();
  await seedDemoData(db, { bcryptCost: 10 });
  const rows = await db('members').whereIn('member_number', ['100003', '200002']).orderBy('member_number').select('member_number', 'email', 'street_address', 'postal_code', 'post_office');
  assert.deepEqual(rows, [
    { member_number: '100003', email: null, street_address: 'Rantatie 12 B 4', postal_code: '33200', post_office: 'TAMPERE' },
    { member_number: '200002', email: null, street_address: 'Myllytie 5', postal_code: '40320', post_office: 'JYVÄSKYLÄ' },
  ]);
  assert.equal(Number((await db('members').whereNull('postal_code').count({ n: '*' }).first())?.n), 0);
});

test('staff change the postal address in the edit form: audited old → new, and a letter printed for the old address stops working', async () => {
  const teemu = ids.member('100003');
  await createActivationCode(portal.db, { memberId: teemu, memberNumber: '100003', staffId: null, days: 30 });
  const staff = await StaffClient.login(portal.base, ...ESIMERKKILA);
  const saved = await staff.post(edit(teemu), { street_address: ' Uusitie 1 ', postal_code: '33 210', post_office: 'TAMPERE' });
  assert.equal(saved.status, 200, saved.text.slice(0, 300));
  assert.equal(saved.json.record.params.street_address, 'Uusitie 1');
  assert.equal(saved.json.record.params.postal_code, '33210');

  const audit = await portal.db('audit_log').where({ member_id: teemu, action: 'member.postal-address-changed' }).orderBy('id', 'desc').first();
  assert.deepEqual(audit.details, { street_address: { old: 'Rantatie 12 B 4', new: 'Uusitie 1' }, postal_code: { old: '33200', new: '33210' }, codesRevoked: 1 });
  assert.equal((await portal.db('activation_codes').where({ member_id: teemu }).first('revoked_reason')).revoked_reason, 'account-changed');
  assert.equal(await portal.db('audit_log').where({ member_id: teemu, action: 'member.updated' }).first(), undefined, 'one audit row, from the one service');
  await portal.db('members').where({ id: teemu }).update({ street_address: 'Rantatie 12 B 4', postal_code: '33200' });
});

test('a postal code that is not five digits is refused with a field message, and nothing changes', async () => {
  const teemu = ids.member('100003');
  const staff = await StaffClient.login(portal.base, ...ESIMERKKILA);
  const refused = await staff.post(edit(teemu), { postal_code: '3320' });
  assert.equal(refused.json.record.errors.postal_code.message, 'Postinumerossa on viisi numeroa, esimerkiksi 00100.');
  assert.equal((await portal.db('members').where({ id: teemu }).first('postal_code')).postal_code, '33200');
});

test("Mallila's staff cannot change the address of Esimerkkilä's member", async () => {
  const teemu = ids.member('100003');
  const staff = await StaffClient.login(portal.base, ...MALLILA);
  const answer = await staff.post(edit(teemu), { street_address: 'Väärä katu 1' });
  assert.notEqual(answer.json?.record?.params?.street_address, 'Väärä katu 1');
  assert.equal((await portal.db('members').where({ id: teemu }).first('street_address')).street_address, 'Rantatie 12 B 4');
});
