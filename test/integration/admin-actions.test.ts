import assert from 'node:assert/strict';
import { before, beforeEach, test } from 'node:test';
import { issueLink } from '../../src/passwords/links.js';
import { assertRefused, demoIds, lastMailId, linkMails, noticeText, StaffClient } from '../helpers/admin-api.js';
import { linksIn, type Portal, startClean, startPortal } from '../helpers/portal.js';
import { sessionIdOf, visibleText, WebClient } from '../helpers/web-client.js';
import { ESIMERKKILA, FEDERATION, MALLILA } from '../helpers/demo-accounts.js';

/**
 * The back-office's own behaviour: staff login, sessions and logout, adding an address and
 * sending links (one member, several, everyone waiting), resolving a "user not found" case, and
 * the dashboard; mail goes through the real queue and worker to a real SMTP server.
 */
let portal: Portal;
let ids: Awaited<ReturnType<typeof demoIds>>;

const members = (path: string) => `/admin/api/resources/members${path}`;

before(async () => {
  portal = await startPortal();
  ids = await demoIds(portal.db);
});

beforeEach(() => startClean(portal));

/** The stored staff session a cookie names. */
const sessionRow = (cookie: string | undefined) => portal.db('staff_sessions').where({ sid: sessionIdOf(cookie) }).first();

/** A request carrying only the given cookie value: what someone holding an old cookie would send. */
function withCookie(cookie: string | undefined, path: string) {
  return new StaffClient(portal.base).get(path, { cookie: `asiointi-admin=${cookie}` });
}

/** Sends the queued mail to the SMTP sink and returns what arrived after `already` messages. */
async function deliver(already = portal.smtp.messages.length) {
  const handled = await portal.deliverMail();
  if (handled === 0) return [];
  return (await portal.smtp.waitFor(already + 1)).slice(already);
}

test('five wrong staff passwords: 429 at the fifth, counted in the database, and the right one waits too', async () => {
  const client = new StaffClient(portal.base);
  const statuses: number[] = [];
  for (let i = 0; i < 5; i++) statuses.push((await client.login(MALLILA[0], `Väärä salasana ${i}`)).status);
  assert.deepEqual(statuses, [401, 401, 401, 401, 429]);
  const counter = await portal.db('rate_limits').where({ key: `login-slow:staff:${MALLILA[0]}` }).first();
  assert.ok(counter, 'the counter is a row in rate_limits');
  assert.ok(counter.points >= 5);
  assert.equal((await client.login(...MALLILA)).status, 429, 'the right password is refused during the pause');

  await portal.db('rate_limits').where('key', 'like', 'login-slow:%').update({ expire: Date.now() - 1 });
  assert.equal((await client.login(...MALLILA)).status, 303, 'the pause ends by itself');
  assert.equal((await new StaffClient(portal.base).login(ESIMERKKILA[0], 'Väärä salasana')).status, 401, 'other staff were not paused');
});

test('logging in gives a new session id, and the previous one stops working', async () => {
  const client = await StaffClient.login(portal.base, ...ESIMERKKILA);
  const first = client.cookie();
  assert.ok(first && (await sessionRow(first)), 'a session in staff_sessions');
  assert.equal((await client.get('/admin/api/dashboard')).status, 200);

  assert.equal((await client.login(...ESIMERKKILA)).status, 303);
  const second = client.cookie();
  assert.ok(second);
  assert.notEqual(sessionIdOf(second), sessionIdOf(first), 'a new session id');
  assert.equal(await sessionRow(first), undefined, 'the old session is gone from the store');
  const stale = await withCookie(first, '/admin/api/dashboard');
  assert.equal(stale.status, 302);
  assert.equal(stale.location, '/admin/login');
  assert.equal((await client.get('/admin/api/dashboard')).status, 200, 'the new session works');
});

test('logout: GET only shows a page with a form; POST ends the session', async () => {
  const client = await StaffClient.login(portal.base, ...ESIMERKKILA);
  const cookie = client.cookie();

  const page = await client.get('/admin/logout');
  assert.equal(page.status, 200);
  assert.match(page.text, /<form method="post" action="\/admin\/logout">/);
  assert.equal((await client.get('/admin/api/dashboard')).status, 200, 'still logged in after the GET');

  const crossSite = await client.request('/admin/logout', { method: 'POST', headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } });
  assert.equal(crossSite.status, 403, 'another site cannot log a staff member out');
  assert.equal((await client.get('/admin/api/dashboard')).status, 200);

  const out = await client.request('/admin/logout', { method: 'POST' });
  assert.equal(out.status, 303);
  assert.equal(out.location, '/admin/login');
  assert.equal(client.cookie(), undefined, 'the cookie is cleared');
  assert.equal(await sessionRow(cookie), undefined, 'the session is gone from the store');
  const replayed = await withCookie(cookie, '/admin/api/dashboard');
  assert.equal(replayed.status, 302);
  assert.equal(replayed.location, '/admin/login');
});

test('a staff member deactivated in the database is logged out at their next request', async () => {
  const client = await StaffClient.login(portal.base, ...MALLILA);
  assert.equal((await client.get('/admin/api/dashboard')).status, 200);
  await portal.db('staff_users').where({ email: MALLILA[0] }).update({ active: false });
  try {
    const next = await client.get(members('/actions/list'));
    assert.equal(next.status, 302);
    assert.equal(next.location, '/admin/login');
    assert.equal(next.json, undefined, 'no data');
    assert.equal((await client.login(...MALLILA)).status, 401, 'and cannot log in again');
  } finally {
    await portal.db('staff_users').where({ email: MALLILA[0] }).update({ active: true });
  }
  assert.equal((await client.get('/admin/api/dashboard')).status, 302, 'reactivating does not revive the old session');
});

test("a staff member moved to another association sees that association's members at their next request, not the old one's", async () => {
  const client = await StaffClient.login(portal.base, ...MALLILA);
  const associationsOf = async () => {
    const list = await client.get(members('/actions/list?perPage=500'));
    assert.equal(list.status, 200);
    return new Set(list.json.records.map((record: { params: { association_id: number } }) => record.params.association_id));
  };
  const own = await associationsOf();
  assert.equal(own.size, 1, 'association staff see one association');
  assert.ok(!own.has(ids.esimerkkila));
  await portal.db('staff_users').where({ email: MALLILA[0] }).update({ association_id: ids.esimerkkila });
  try {
    assert.deepEqual([...(await associationsOf())], [ids.esimerkkila], 'the session follows the register at once');
  } finally {
    await portal.db('staff_users').where({ email: MALLILA[0] }).update({ association_id: [...own][0] });
  }
});

test('Esimerkkilä adds an email to Teemu (audited); the link mail lets him set a password and log in', async () => {
  const staff = await StaffClient.login(portal.base, ...ESIMERKKILA);
  const teemu = ids.member('100003');
  const address = 'teemu.testaaja@example.fi';
  await portal.db('members').where({ id: teemu }).update({ email: null });

  const edited = await staff.post(members(`/records/${teemu}/edit`), { email: address });
  assert.equal(edited.json.notice.type, 'success', edited.text.slice(0, 300));
  assert.equal((await portal.db('members').where({ id: teemu }).first()).email, address);
  const audit = await portal.db('audit_log').where({ action: 'member.email-changed', member_id: teemu }).orderBy('id', 'desc').first();
  assert.ok(audit, 'a member.email-changed audit row');
  assert.equal(audit.actor_type, 'staff');
  assert.equal(audit.actor_id, ids.staff(ESIMERKKILA[0]));
  assert.deepEqual(audit.details, { email: { old: null, new: address } });

  const sent = await staff.post(members(`/records/${teemu}/sendLink`));
  assert.equal(sent.status, 200);
  assert.equal(sent.json.notice.type, 'success', sent.json.notice.message);
  const mails = await deliver();
  assert.equal(mails.length, 1, 'one mail');
  const [mail] = mails;
  const noreply = /<([^>]+)>/.exec(portal.config.mailFrom)![1]!;
  assert.match(noreply, /^noreply@/);
  assert.equal(mail!.from?.value[0]?.address, noreply);
  assert.equal([mail!.to].flat()[0]?.value[0]?.address, address);
  assert.match(mail!.text ?? '', /\b100003\b/);
  const links = linksIn(mail!.text);
  assert.equal(links.length, 1);
  const link = new URL(links[0]!).pathname;
  assert.match(link, /^\/palauta-salasana\//);

  const member = new WebClient(portal.base);
  assert.equal((await member.get(link)).status, 200);
  const done = await member.post(link, { password: 'Teemun oma salasana 2026' });
  assert.match(visibleText(done.text), /Salasana on vaihdettu/);
  await member.get('/kirjaudu');
  const login = await member.post('/kirjaudu', { memberNumber: '100003', password: 'Teemun oma salasana 2026' });
  assert.equal(login.status, 303);
  assert.equal(login.location, '/omat-tiedot');
});

test('sendLink to a member without an email or with an ended membership says why and queues nothing', async () => {
  const federation = await StaffClient.login(portal.base, ...FEDERATION);
  const since = await lastMailId(portal.db);
  const links = await portal.db('set_password_links').count({ n: '*' }).first();
  await portal.db('members').where({ id: ids.member('200002') }).update({ email: null });

  // Opening the action (GET) only asks: to whom, or why not. It sends nothing.
  const asked = await federation.get(members(`/records/${ids.member('100001')}/sendLink`));
  assert.equal(noticeText({ message: asked.json.confirmation.question, options: asked.json.confirmation.options }), 'Lähetetäänkö salasanalinkki jäsenelle Maija Meikäläinen (100001)?');
  const refusedUpFront = await federation.get(members(`/records/${ids.member('200003')}/sendLink`));
  assert.equal(refusedUpFront.json.confirmation.confirm, undefined, 'no send button for an ended membership');
  assert.equal(await lastMailId(portal.db), since, 'opening the action queued nothing');

  const noEmail = await federation.post(members(`/records/${ids.member('200002')}/sendLink`));
  assert.equal(noEmail.json.notice.type, 'error');
  assert.equal(noticeText(noEmail.json.notice), 'Linkkiä ei lähetetty: jäsenellä 200002 ei ole sähköpostiosoitetta. Lisää osoite ensin.');
  const ended = await federation.post(members(`/records/${ids.member('200003')}/sendLink`));
  assert.equal(ended.json.notice.type, 'error');
  assert.equal(noticeText(ended.json.notice), 'Linkkiä ei lähetetty: jäsenen 200003 jäsenyys on päättynyt.');

  assert.equal(await lastMailId(portal.db), since, 'nothing was queued');
  assert.deepEqual(await portal.db('set_password_links').count({ n: '*' }).first(), links);
  assert.deepEqual(await deliver(), []);
});

test('resolving a case: the address goes to the member, a link mail is sent, the case closes, all audited; Mallila cannot', async () => {
  const teemu = ids.member('100003');
  await portal.db('members').where({ id: teemu }).update({ email: null });
  const [{ id: caseId }] = await portal
    .db('not_found_cases')
    .insert({ email_typed: 'teemu@example.fi', member_number: '100003', association_id: ids.esimerkkila })
    .returning('id');
  const resolve = `/admin/api/resources/not_found_cases/records/${caseId}/resolve`;
  const since = await lastMailId(portal.db);
  const auditSince = Number((await portal.db('audit_log').max({ id: 'id' }).first())?.id ?? 0);

  const mallila = await StaffClient.login(portal.base, ...MALLILA);
  const refused = await mallila.post(resolve, { memberNumber: '100003' });
  assertRefused(refused, 'Mallila resolves Esimerkkilä\'s case');
  assert.doesNotMatch(refused.text, /teemu/i, 'nothing of the case is shown');
  assert.equal((await portal.db('not_found_cases').where({ id: caseId }).first()).resolved_at, null);
  assert.equal((await portal.db('members').where({ id: teemu }).first()).email, null);
  assert.equal(await lastMailId(portal.db), since, 'Mallila queued nothing');

  const staff = await StaffClient.login(portal.base, ...ESIMERKKILA);
  const opened = await staff.get(resolve);
  assert.equal(opened.status, 200, 'opening the action shows its form');
  assert.equal((await portal.db('members').where({ id: teemu }).first()).email, null, 'opening it changes nothing');
  const resolved = await staff.post(resolve, { memberNumber: '100003' });
  assert.equal(resolved.status, 200);
  assert.equal(resolved.json.notice.type, 'success', resolved.json.notice.message);
  assert.equal((await portal.db('members').where({ id: teemu }).first()).email, 'teemu@example.fi');
  const closed = await portal.db('not_found_cases').where({ id: caseId }).first();
  assert.ok(closed.resolved_at, 'the case has resolved_at');
  assert.equal(closed.resolved_by, ids.staff(ESIMERKKILA[0]));
  assert.equal(closed.resolved_member_id, teemu);
  const audit = await portal.db('audit_log').where('id', '>', auditSince).where({ member_id: teemu, actor_type: 'staff', actor_id: ids.staff(ESIMERKKILA[0]) }).orderBy('id');
  const caseAudit = audit.filter((row) => row.action === 'case.resolved');
  assert.equal(caseAudit.length, 1, 'a case.resolved audit row');
  assert.equal(Number(caseAudit[0]!.details.caseId), Number(caseId));
  assert.deepEqual(
    audit.filter((row) => row.action === 'member.email-changed').map((row) => row.details),
    [{ email: { old: null, new: 'teemu@example.fi' } }],
  );
  assert.deepEqual(await linkMails(portal.db, since), [{ to: 'teemu@example.fi', members: ['100003'] }]);
  const mails = await deliver();
  assert.equal(mails.length, 1);
  assert.equal([mails[0]!.to].flat()[0]?.value[0]?.address, 'teemu@example.fi');
  assert.equal(linksIn(mails[0]!.text).length, 1);

  const again = await staff.post(resolve, { memberNumber: '100003' });
  assert.equal(again.json.notice.type, 'error', 'a resolved case cannot be resolved again');
  assert.deepEqual(await linkMails(portal.db, since), [{ to: 'teemu@example.fi', members: ['100003'] }], 'no second mail');
});

test('federation staff resolve an address-only case from the order form by choosing the member', async () => {
  const pekka = ids.member('200002');
  const [{ id: caseId }] = await portal.db('not_found_cases').insert({ email_typed: 'pekka.puuttuva@example.fi' }).returning('id');
  const since = await lastMailId(portal.db);
  const federation = await StaffClient.login(portal.base, ...FEDERATION);
  const resolve = `/admin/api/resources/not_found_cases/records/${caseId}/resolve`;
  const missing = await federation.post(resolve, { memberNumber: '' });
  assert.equal(missing.json.notice.type, 'error');
  assert.equal(noticeText(missing.json.notice), 'Kirjoita jäsenen jäsennumero (vain numeroita).');
  const resolved = await federation.post(resolve, { memberNumber: '200002' });
  assert.equal(resolved.json.notice.type, 'success', resolved.json.notice.message);
  assert.equal((await portal.db('members').where({ id: pekka }).first()).email, 'pekka.puuttuva@example.fi');
  assert.deepEqual(await linkMails(portal.db, since), [{ to: 'pekka.puuttuva@example.fi', members: ['200002'] }]);
  await portal.db('members').where({ id: pekka }).update({ email: null });
});

test('the dashboard counts Esimerkkilä\'s members, not links, by where they stand, for Esimerkkilä\'s staff only', async () => {
  // Something to count on both sides: an open case for each association, and Maija with two valid links.
  await portal.db('not_found_cases').insert([
    { email_typed: 'avoin.esimerkkila@example.fi', association_id: ids.esimerkkila },
    { email_typed: 'avoin.mallila@example.fi', association_id: ids.mallila },
  ]);
  // Where Esimerkkilä's three stand, whatever the tests before did: Maija has two valid links, Matti
  // (the same household address) none yet, Teemu no address; nobody has a password.
  const own = [ids.member('100001'), ids.member('100002'), ids.member('100003')];
  await portal.db('set_password_links').whereIn('member_id', own).delete();
  await portal.db('member_credentials').whereIn('member_id', own).delete();
  await portal.db('activation_codes').whereIn('member_id', own).delete();
  await portal.db('members').where({ id: own[2] }).update({ email: null });
  const maija = own[0]!;
  for (let i = 0; i < 2; i++) await issueLink(portal.db, { memberId: maija }, 24, null);
  const openCases = Number((await portal.db('not_found_cases').where({ association_id: ids.esimerkkila }).whereNull('resolved_at').count({ n: '*' }).first())?.n);

  const staff = await StaffClient.login(portal.base, ...ESIMERKKILA);
  const dashboard = await staff.get('/admin/api/dashboard');
  assert.equal(dashboard.status, 200);
  assert.deepEqual(dashboard.json.rows, [
    {
      associationId: ids.esimerkkila,
      association: 'Esimerkkilän Invalidit ry',
      members: 3,
      withEmail: 2,
      states: { 'password-set': 0, 'link-waiting': 1, 'no-link-yet': 1, 'no-email': 1 },
      letters: { printed: 0, activated: 0 },
      openCases,
    },
  ]);

  // Each number leads to the members it counts: the member list filtered by the same state.
  const numbersIn = async (state: string) =>
    (await staff.get(`/admin/api/resources/members/actions/list?filters.association_id=${ids.esimerkkila}&filters.state=${state}`)).json.records.map((r: { params: { member_number: string } }) => r.params.member_number);
  assert.deepEqual(await numbersIn('link-waiting'), ['100001']);
  assert.deepEqual(await numbersIn('no-link-yet'), ['100002']);
  assert.deepEqual(await numbersIn('no-email'), ['100003']);
  assert.deepEqual(await numbersIn('password-set'), []);
  const bogus = await staff.get('/admin/api/resources/members/actions/list?filters.state=everyone');
  assert.equal(bogus.status, 400);
  await portal.db('set_password_links').where({ member_id: maija }).delete();
});

test('a link sent by staff says who sent it and why, not "you ordered this"; the portal\'s own order mail is unchanged', async () => {
  const esimerkkila = await StaffClient.login(portal.base, ...ESIMERKKILA);
  const federation = await StaffClient.login(portal.base, ...FEDERATION);
  await portal.db('rate_limits').delete();
  assert.equal((await esimerkkila.post(members(`/records/${ids.member('100001')}/sendLink`))).json.notice.type, 'success');
  const [byAssociation] = await deliver();
  assert.match(byAssociation!.subject ?? '', /^Ota asiointipalvelu käyttöön/);
  assert.match(byAssociation!.text ?? '', /Esimerkkilän Invalidit ry lähettää sinulle linkin, jolla otat käyttöön jäsenten asiointipalvelun/);
  assert.match(byAssociation!.text ?? '', /Viestin lähetti Esimerkkilän Invalidit ry\./);
  assert.doesNotMatch(byAssociation!.text ?? '', /Jos et tilannut linkkiä/);
  assert.match(byAssociation!.html || '', /Esimerkkilän Invalidit ry lähettää sinulle linkin/);

  assert.equal((await federation.post(members(`/records/${ids.member('200001')}/sendLink`))).json.notice.type, 'success');
  const [byFederation] = await deliver();
  assert.match(byFederation!.text ?? '', /Jäsenpalvelu \(Invalidiliitto\) lähettää sinulle linkin/);

  const client = new WebClient(portal.base);
  await client.get('/tilaa-salasana');
  await client.post('/tilaa-salasana', { email: 'liisa.esimerkki@example.fi' });
  const [ordered] = await deliver();
  assert.match(ordered!.text ?? '', /tähän sähköpostiosoitteeseen tilattiin linkki/);
  assert.match(ordered!.text ?? '', /Jos et tilannut linkkiä/);
});
