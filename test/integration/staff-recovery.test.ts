import assert from 'node:assert/strict';
import { before, beforeEach, test } from 'node:test';
import { hashPassword } from '../../src/passwords/hashing.js';
import { assertRefused, noticeText } from '../helpers/admin-api.js';
import { adminLogin } from '../helpers/admin-client.js';
import { FEDERATION, MALLILA } from '../helpers/demo-accounts.js';
import { linksIn, startClean, startPortal, type Portal } from '../helpers/portal.js';
import { visibleText, WebClient } from '../helpers/web-client.js';

/**
 * Staff getting back in: «Unohditko salasanan?» on the back-office login (the members' link
 * mechanism, one answer for every address, the portal's limits), «Lähetä kutsu uudelleen» for
 * federation member services, and a dead staff link leading to the staff page.
 */
let portal: Portal;
before(async () => {
  portal = await startPortal();
});
let mailsBefore = 0;
beforeEach(async () => {
  await startClean(portal);
  mailsBefore = Number((await portal.db('mail_queue').max({ id: 'id' }).first())?.id ?? 0);
});

/** A browser on the back-office's own page: what the origin check expects of a form post. */
const backOfficeBrowser = () => new WebClient(portal.base, { origin: portal.base, 'sec-fetch-site': 'same-origin' });

async function orderStaffLink(email: string, client = backOfficeBrowser()) {
  const form = await client.get('/admin/unohtunut-salasana');
  assert.equal(form.status, 200);
  return client.post('/admin/unohtunut-salasana', { email });
}

/** Mails of one kind queued by the current test. */
const mailsOfTest = (template: string) => portal.db('mail_queue').where({ template }).where('id', '>', mailsBefore).orderBy('id');
const staffResetMails = () => mailsOfTest('staff-password-reset');
const invitationCount = async () => (await mailsOfTest('staff-invitation')).length;

test('a staff member who forgot the password orders a link, sets a new password with it and logs in', async () => {
  const form = await backOfficeBrowser().get('/admin/unohtunut-salasana');
  assert.match(visibleText(form.text), /Unohditko salasanan\?/);
  assert.match(form.text, /<label for="email">Sähköpostiosoite<\/label>/);
  assert.match(form.text, /autocomplete="username"/);

  const answer = await orderStaffLink('  Sihteeri@Mallila.example ');
  assert.equal(answer.status, 200);
  assert.match(visibleText(answer.text), /Jos Sihteeri@Mallila\.example on ylläpidon käyttäjätunnus, siihen on nyt lähetetty linkki/);
  await portal.deliverMail();
  const [mail] = await portal.smtp.waitFor(1);
  assert.equal([mail!.to].flat()[0]?.value[0]?.address, MALLILA[0]);
  assert.match(mail!.subject ?? '', /Uusi salasana ylläpitoon/);
  assert.match(mail!.text ?? '', /Jos et itse pyytänyt uutta salasanaa, voit jättää tämän viestin huomiotta/);

  const path = new URL(linksIn(mail!.text)[0]!).pathname;
  const browser = new WebClient(portal.base);
  const page = await browser.get(path);
  assert.match(page.text, /value="sihteeri@mallila.example" readonly autocomplete="username"/);
  const done = await browser.post(path, { password: 'Mallilan uusi oma salasana' });
  assert.match(visibleText(done.text), /Salasanasi on asetettu/);

  await assert.rejects(adminLogin(portal.base, MALLILA[0], MALLILA[1]), /admin login failed/, 'the old password no longer works');
  await adminLogin(portal.base, MALLILA[0], 'Mallilan uusi oma salasana');
  const audit = await portal.db('audit_log').where({ action: 'staff.password-link-ordered' }).first();
  assert.ok(audit.details.mailId);
  await portal.db('staff_credentials').where({ staff_user_id: audit.details.staffUserId }).update({ password_hash: await hashPassword(MALLILA[1], 10) });
});

test('the answer is the same for a staff address, an unknown address and a deactivated account; only the first gets mail', async () => {
  await portal.db('staff_users').insert({ email: 'poissa@mallila.example', name: 'Poissa Oleva', role: 'association', association_id: portal.db('associations').select('id').where({ name: 'Mallilan Invalidit ry' }), active: false });
  const answers = [];
  for (const email of [MALLILA[0], 'ei.ketaan@example.fi', 'poissa@mallila.example', 'maija.meikalainen@example.fi']) {
    const answer = await orderStaffLink(email);
    answers.push({ status: answer.status, text: visibleText(answer.text).replace(email, 'ADDRESS') });
  }
  assert.equal(new Set(answers.map((answer) => JSON.stringify(answer))).size, 1, 'one answer for every address');
  assert.deepEqual((await staffResetMails()).map((mail) => mail.to_address), [MALLILA[0]], 'a member\'s address gets no staff mail either');
});

test('orders share the portal order form\'s per-client limit, and an account gets at most 5 link mails an hour with no change in the answer', async () => {
  const answers = new Set<string>();
  for (let order = 1; order <= 7; order++) {
    const answer = await orderStaffLink(MALLILA[0]);
    assert.equal(answer.status, 200);
    answers.add(visibleText(answer.text));
  }
  assert.equal(answers.size, 1);
  assert.equal((await staffResetMails()).length, 5);
  const refused = await portal.db('audit_log').where({ action: 'staff.password-link-not-sent' });
  assert.equal(refused.length, 2);

  await portal.db('rate_limits').delete();
  const portalOrders = new WebClient(portal.base);
  for (let order = 1; order <= 21; order++) {
    await portalOrders.get('/tilaa-salasana');
    await portalOrders.post('/tilaa-salasana', { email: 'ei.ketaan@example.fi' });
  }
  const blocked = await orderStaffLink(MALLILA[0]);
  assert.equal(blocked.status, 429);
  assert.match(visibleText(blocked.text), /Yritä uudelleen \d+ minuutin kuluttua/);
});

test('a form from another site, or with no word of its origin, is refused', async () => {
  const elsewhere = new WebClient(portal.base, { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' });
  assert.equal((await elsewhere.post('/admin/unohtunut-salasana', { email: MALLILA[0] })).status, 403);
  assert.equal((await new WebClient(portal.base).post('/admin/unohtunut-salasana', { email: MALLILA[0] })).status, 403);
  assert.equal((await staffResetMails()).length, 0);
});

test('an empty or malformed address gets a clear message in the page\'s language', async () => {
  const empty = await orderStaffLink('');
  assert.equal(empty.status, 400);
  assert.match(visibleText(empty.text), /Kirjoita sähköpostiosoite/);
  assert.match(empty.text, /aria-invalid="true"/);
  const swedish = backOfficeBrowser();
  await swedish.get('/admin/unohtunut-salasana?lang=sv');
  const malformed = await orderStaffLink('ei osoite', swedish);
  assert.equal(malformed.status, 400);
  assert.match(visibleText(malformed.text), /Skriv e-postadressen i formen namn@exempel\.fi/);
});

test('an expired or used staff link leads to the staff page, not to the members\' order form', async () => {
  await orderStaffLink(MALLILA[0]);
  await portal.deliverMail();
  const [mail] = await portal.smtp.waitFor(1);
  const path = new URL(linksIn(mail!.text)[0]!).pathname;
  await portal.db('set_password_links').whereNotNull('staff_user_id').update({ expires_at: portal.db.raw(`now() - interval '1 minute'`) });

  const expired = await new WebClient(portal.base).get(path);
  assert.equal(expired.status, 410);
  assert.match(visibleText(expired.text), /Tämä ylläpidon salasanalinkki ei ole enää voimassa/);
  assert.match(expired.text, /href="\/admin\/unohtunut-salasana"/);
  assert.doesNotMatch(expired.text, /action="\/tilaa-salasana"/, 'no member order form for staff');

  await portal.db('set_password_links').whereNotNull('staff_user_id').update({ expires_at: portal.db.raw(`now() + interval '1 hour'`), used_at: portal.db.fn.now() });
  const used = await new WebClient(portal.base).get(path);
  assert.equal(used.status, 410);
  assert.match(visibleText(used.text), /Linkin voi käyttää vain kerran/);
  assert.match(used.text, /href="\/admin\/unohtunut-salasana"/);
});

test('federation member services resend an invitation; association staff cannot; a deactivated account gets none', async () => {
  const federation = await adminLogin(portal.base, ...FEDERATION);
  const target = await portal.db('staff_users').where({ email: MALLILA[0] }).first();
  const action = `/admin/api/resources/staff_users/records/${target.id}/resendInvitation`;

  const opened = await federation.json(action);
  assert.equal(opened.record.params.email, MALLILA[0]);
  assert.equal(await invitationCount(), 0, 'opening the page sends nothing');

  const sent = await federation.form(action, { confirm: '1' });
  assert.equal(sent.status, 200, JSON.stringify(sent.body));
  assert.equal(noticeText(sent.body.notice), `Kutsu lähetettiin osoitteeseen ${MALLILA[0]}.`);
  await portal.deliverMail();
  const [mail] = await portal.smtp.waitFor(1);
  assert.match(mail!.subject ?? '', /Tunnus ylläpitoon/);
  assert.equal(linksIn(mail!.text).length, 1);
  assert.match(mail!.text ?? '', /http:\/\/asiointi\.example\.fi\/admin\/unohtunut-salasana/, 'the invitation says where to get a new link');
  const audit = await portal.db('audit_log').where({ action: 'staff.invitation-resent' }).first();
  assert.equal(audit.details.staffUserId, target.id);
  assert.match(audit.actor_label, /jasenpalvelut@liitto\.example/);

  const association = await adminLogin(portal.base, ...MALLILA);
  const refused = await association.client.request(action, { method: 'POST', body: new FormData() });
  assertRefused({ status: refused.status, text: refused.text, location: refused.location, json: refused.text.startsWith('{') ? JSON.parse(refused.text) : undefined }, 'association staff resending');
  assert.equal(await invitationCount(), 1);

  await portal.db('staff_users').where({ id: target.id }).update({ active: false });
  try {
    const inactive = await federation.form(action, { confirm: '1' });
    assert.equal(noticeText(inactive.body.notice), 'Tunnus ei ole käytössä, joten kutsua ei voi lähettää. Ota tunnus ensin käyttöön muokkaamalla sitä.');
    assert.equal(await invitationCount(), 1);
  } finally {
    await portal.db('staff_users').where({ id: target.id }).update({ active: true });
  }
});
