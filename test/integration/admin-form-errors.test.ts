import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { databaseErrorToFormError } from '../../admin/form-errors.js';
import { ValidationError } from '../../admin/adminjs-runtime.js';
import { demoIds, StaffClient } from '../helpers/admin-api.js';
import { ESIMERKKILA, FEDERATION } from '../helpers/demo-accounts.js';
import { startPortal, type Portal } from '../helpers/portal.js';
import { adminMessages, type AdminLanguage } from '../helpers/admin-catalogs.js';

/**
 * A back-office form sent with problems comes back with every problem on its own field, written out
 * in the staff member's language, and nothing is saved: the new-member form above all, whose
 * required fields left empty used to stop it in the browser without a word (the browser's own
 * check, now off: admin/components/record-form.tsx), and which the server answered with the first
 * empty NOT NULL column only. The browser side is test/browser/admin-form-errors.test.ts.
 */
let portal: Portal;
let ids: Awaited<ReturnType<typeof demoIds>>;
before(async () => {
  portal = await startPortal();
  ids = await demoIds(portal.db);
});

type Language = AdminLanguage;
const messages = adminMessages;

async function staffIn(account: readonly [string, string], language: Language): Promise<StaffClient> {
  const staff = await StaffClient.login(portal.base, ...account);
  assert.equal((await staff.get(`/admin/resources/members?lang=${language}`)).status, 303);
  return staff;
}

const NEW_MEMBER = '/admin/api/resources/members/actions/new';
const memberCount = async () => Number((await portal.db('members').count({ n: '*' }).first())!.n);

/** The field errors of an answer, as the staff member reads them. */
function fieldErrors(answer: { json: { record?: { errors?: Record<string, { message: string }> } } }): Record<string, string> {
  return Object.fromEntries(Object.entries(answer.json.record?.errors ?? {}).map(([field, error]) => [field, error.message]));
}

for (const language of ['fi', 'sv', 'en'] as const) {
  test(`a new member sent with the names empty and «abc», «not-an-email», «123»: an error on each of those fields, in ${language}`, async () => {
    const staff = await staffIn(ESIMERKKILA, language);
    const before = await memberCount();
    const answer = await staff.post(NEW_MEMBER, { member_number: 'abc', email: 'not-an-email', postal_code: '123' });
    assert.equal(answer.status, 200);
    assert.equal(answer.json.notice.type, 'error');
    assert.equal(answer.json.notice.message, 'thereWereValidationErrors');
    const m = messages[language];
    assert.deepEqual(fieldErrors(answer), {
      member_number: m.formError_memberNumberDigits,
      first_name: m.formError_required,
      last_name: m.formError_required,
      email: m.formError_emailShape,
      postal_code: m.formError_postalCodeDigits,
    });
    assert.equal(answer.json.redirectUrl, undefined, 'the form stays open');
    assert.equal(await memberCount(), before, 'nothing was saved');
  });
}

test('names of spaces only are empty names: both are reported, not just the first NOT NULL column', async () => {
  const staff = await staffIn(ESIMERKKILA, 'fi');
  const answer = await staff.post(NEW_MEMBER, { member_number: '100501', first_name: '  ', last_name: ' ' });
  assert.deepEqual(fieldErrors(answer), { first_name: messages.fi.formError_required, last_name: messages.fi.formError_required });
});

test("federation staff's new member without an association: that error together with the others", async () => {
  const staff = await staffIn(FEDERATION, 'sv');
  const answer = await staff.post(NEW_MEMBER, { member_number: '100502', first_name: 'Testi', email: 'x@' });
  assert.deepEqual(fieldErrors(answer), { last_name: messages.sv.formError_required, association_id: messages.sv.formError_required, email: messages.sv.formError_emailShape });
});

test('a required field emptied on the edit form is reported on its field; untouched fields are not', async () => {
  const staff = await staffIn(ESIMERKKILA, 'en');
  const answer = await staff.post(`/admin/api/resources/members/records/${ids.member('100001')}/edit`, { first_name: '', email: 'maija.meikalainen@example.fi' });
  assert.deepEqual(fieldErrors(answer), { first_name: messages.en.formError_required });
  assert.equal((await portal.db('members').where({ member_number: '100001' }).first()).first_name, 'Maija');
});

test('the association and staff-account forms sent empty: every required field has its error', async () => {
  const staff = await staffIn(FEDERATION, 'fi');
  const association = await staff.post('/admin/api/resources/associations/actions/new', { contact_email: 'yhdistys@example.fi' });
  assert.equal(association.json.notice.type, 'error');
  assert.deepEqual(fieldErrors(association), { name: messages.fi.formError_required });
  const account = await staff.post('/admin/api/resources/staff_users/actions/new', { role: 'association' });
  assert.equal(account.json.notice.type, 'error');
  const errors = fieldErrors(account);
  assert.equal(errors.email, messages.fi.formError_required);
  assert.equal(errors.name, messages.fi.formError_required);
});

test('the postal address constraints of migration 014 are mapped to their fields (admin/form-errors.ts)', async () => {
  const member = { member_number: '100503', first_name: 'Osoite', last_name: 'Testi', association_id: ids.esimerkkila, membership_status: 'active' };
  const refused = async (values: Record<string, string>) => {
    const error = await portal.db('members').insert({ ...member, ...values }).then(() => undefined, (e: unknown) => e);
    assert.ok(error, `${JSON.stringify(values)} is refused by the database`);
    const mapped = databaseErrorToFormError(error);
    assert.ok(mapped instanceof ValidationError, String(mapped));
    return Object.fromEntries(Object.entries(mapped.propertyErrors).map(([field, e]) => [field, e.message]));
  };
  assert.deepEqual(await refused({ postal_code: '123' }), { postal_code: 'formError_postalCodeDigits' });
  assert.deepEqual(await refused({ street_address: ' Katu 1' }), { street_address: 'formError_fieldShape' });
  assert.deepEqual(await refused({ post_office: '' }), { post_office: 'formError_fieldShape' });
});
