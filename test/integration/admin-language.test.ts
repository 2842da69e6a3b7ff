import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import { projectRoot } from '../../src/project-root.js';
import { demoIds, noticeText, StaffClient } from '../helpers/admin-api.js';
import { FEDERATION } from '../helpers/demo-accounts.js';
import { startPortal, type Portal } from '../helpers/portal.js';
import { WebClient } from '../helpers/web-client.js';
import { adminMessages, type AdminLanguage } from '../helpers/admin-catalogs.js';

/**
 * Over HTTP, what the server itself writes for staff comes in the language they chose (the `kieli`
 * cookie, which the portal's `?lang=` sets and the back-office shares): the refusal of a request
 * from elsewhere, a form field's error (a database refusal among them), and every page AdminJS
 * renders, the login page included. Notices stay catalog keys, which AdminJS looks up in the page's
 * language; those keys exist in all three languages.
 */
let portal: Portal;
let ids: Awaited<ReturnType<typeof demoIds>>;
before(async () => {
  portal = await startPortal();
  ids = await demoIds(portal.db);
});

type Language = AdminLanguage;
const messages = adminMessages;

/** Logged in as federation staff, with the language chosen the way a person does: `?lang=` on any page. */
async function staffIn(language: Language): Promise<StaffClient> {
  const staff = await StaffClient.login(portal.base, ...FEDERATION);
  const chosen = await staff.get(`/admin/resources/members?lang=${language}`);
  assert.equal(chosen.status, 303);
  assert.equal(chosen.location, '/admin/resources/members', 'back to the same page, without ?lang');
  assert.equal(staff.web.cookie('kieli'), language);
  return staff;
}

const edit = (id: number) => `/admin/api/resources/members/records/${id}/edit`;

for (const language of ['sv', 'en'] as const) {
  test(`a request from elsewhere is refused in the chosen language (${language})`, async () => {
    const staff = await staffIn(language);
    const refused = await staff.post(edit(ids.member('100001')), { email: 'x@example.fi' }, { origin: 'https://muualta.example', 'sec-fetch-site': 'cross-site' });
    assert.equal(refused.status, 403);
    assert.equal(refused.text, messages[language].originRefused);
    assert.notEqual(refused.text, messages.fi.originRefused);
  });

  test(`a form field's error comes in the chosen language (${language}): the edit form's check and the database's refusals`, async () => {
    const staff = await staffIn(language);
    const invalid = await staff.post(edit(ids.member('200001')), { email: 'ei osoite' });
    assert.equal(invalid.json.notice.type, 'error');
    assert.equal(invalid.json.record.errors.email.message, messages[language].formError_emailShape);

    // The member number is taken: PostgreSQL's unique constraint, mapped to the field (admin/form-errors.ts).
    const taken = await staff.post('/admin/api/resources/members/actions/new', {
      member_number: '100001', first_name: 'Testi', last_name: 'Kaksoisnumero', association_id: String(ids.esimerkkila), membership_status: 'active',
    });
    assert.equal(taken.json.record.errors.member_number.message, messages[language].formError_memberNumberTaken);

    // No association: NOT NULL on a reference field, whose error AdminJS shows exactly as the server wrote it.
    const missing = await staff.post('/admin/api/resources/members/actions/new', { member_number: '100099', first_name: 'Testi', last_name: 'Yhdistyksetön' });
    assert.equal(missing.json.record.errors.association_id.message, messages[language].formError_required);
    assert.equal(await portal.db('members').whereIn('member_number', ['100099']).first(), undefined, 'nothing was saved');
  });

  test(`every page AdminJS renders starts in the chosen language (${language}), the login page too`, async () => {
    const visitor = new WebClient(portal.base);
    await visitor.get(`/admin/login?lang=${language}`);
    const login = await visitor.get('/admin/login');
    assert.match(login.text, new RegExp(`<html lang=${language}>`));
    assert.match(login.text, new RegExp(`<title>[^<]* – ${backOffice(language)}</title>`));
    assert.equal(reduxState(login.text).locale.language, language);
    // A failed login is answered with the login page again (admin/auth.ts), after the form is read.
    const failed = await visitor.post('/admin/login', { email: FEDERATION[0], password: 'väärä salasana' }, { origin: portal.base, 'sec-fetch-site': 'same-origin' });
    assert.equal(failed.status, 401);
    assert.match(failed.text, new RegExp(`<html lang=${language}>`));

    const staff = await staffIn(language);
    const page = await staff.get('/admin/resources/members');
    assert.match(page.text, new RegExp(`<html lang=${language}>`));
    assert.equal(reduxState(page.text).locale.language, language);
  });
}

test('without a choice, or with a cookie that names no language of ours, everything is Finnish', async () => {
  const staff = await StaffClient.login(portal.base, ...FEDERATION);
  const page = await staff.get('/admin');
  assert.match(page.text, /<html lang=fi>/);
  const refused = await staff.post(edit(ids.member('100001')), { email: 'x@example.fi' }, { origin: 'https://muualta.example' });
  assert.equal(refused.text, messages.fi.originRefused);

  const odd = new WebClient(portal.base, { cookie: 'kieli=de' });
  assert.match((await odd.get('/admin/login')).text, /<html lang=fi>/);
});

test('a refusal of the whole form stays a catalog key, written out in each language by AdminJS', async () => {
  const staff = await staffIn('sv');
  // An association that has members cannot be deleted: a foreign key refusal (23503) of the whole form.
  const refused = await staff.post(`/admin/api/resources/associations/records/${ids.esimerkkila}/delete`);
  assert.equal(refused.json.notice.message, 'formError_inUse');
  for (const language of ['fi', 'sv', 'en'] as const) assert.equal(noticeText(refused.json.notice, language), messages[language].formError_inUse);
});

function backOffice(language: Language): string {
  return JSON.parse(readFileSync(path.join(projectRoot, 'admin', 'locale', `${language}.json`), 'utf8')).labels.backOffice;
}

/** AdminJS's state as written into the page (its layout and login templates), read back as JSON. */
function reduxState(html: string) {
  const start = html.indexOf('window.REDUX_STATE = ') + 'window.REDUX_STATE = '.length;
  const end = html.indexOf(';\n', start);
  return JSON.parse(html.slice(start, end));
}
