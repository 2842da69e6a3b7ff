import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { noticeText } from '../helpers/admin-api.js';
import { adminLogin } from '../helpers/admin-client.js';
import { linksIn, startPortal, type Portal } from '../helpers/portal.js';
import { visibleText, WebClient } from '../helpers/web-client.js';

let portal: Portal;
before(async () => {
  portal = await startPortal();
});

test('federation staff invite a staff member, who sets a password from the mailed link and logs in; deactivation ends their sessions', async () => {
  const federation = await adminLogin(portal.base, 'jasenpalvelut@liitto.example', 'Demo-jasenpalvelut-1');
  const mallila = await portal.db('associations').where({ name: 'Mallilan Invalidit ry' }).first();
  const created = await federation.form('/admin/api/resources/staff_users/actions/new', {
    email: 'uusi.sihteeri@mallila.example',
    name: 'Uusi Sihteeri',
    role: 'association',
    association_id: String(mallila.id),
  });
  assert.equal(created.status, 200, JSON.stringify(created.body));
  const row = await portal.db('staff_users').where({ email: 'uusi.sihteeri@mallila.example' }).first();
  assert.equal(row.role, 'association');
  assert.equal(row.association_id, mallila.id);
  assert.ok(await portal.db('audit_log').where({ action: 'staff.invited' }).first());
  assert.equal(noticeText(created.body.notice), 'Tunnus luotu. Kutsu, jolla hän asettaa oman salasanansa, lähtee osoitteeseen uusi.sihteeri@mallila.example.');

  await portal.deliverMail();
  const [mail] = await portal.smtp.waitFor(1);
  assert.match(mail!.subject ?? '', /Tunnus ylläpitoon/);
  const path = new URL(linksIn(mail!.text)[0]!).pathname;
  const browser = new WebClient(portal.base);
  const page = await browser.get(path);
  assert.match(page.text, /value="uusi.sihteeri@mallila.example" readonly autocomplete="username"/);
  const done = await browser.post(path, { password: 'Sihteerin oma salasana' });
  assert.match(visibleText(done.text), /Salasanasi on asetettu/);
  assert.match(done.text, /href="\/admin\/login"/);
  assert.equal(await portal.db('staff_credentials').where({ staff_user_id: row.id }).first().then(Boolean), true);

  const newcomer = await adminLogin(portal.base, 'uusi.sihteeri@mallila.example', 'Sihteerin oma salasana');
  const list = await newcomer.json('/admin/api/resources/members/actions/list');
  assert.deepEqual(list.records.map((r: { params: { member_number: string } }) => r.params.member_number).sort(), ['200001', '200002', '200003']);

  const edited = await federation.form(`/admin/api/resources/staff_users/records/${row.id}/edit`, { active: 'false' });
  assert.equal(edited.status, 200, JSON.stringify(edited.body));
  const after = await newcomer.client.get('/admin/api/resources/members/actions/list');
  assert.equal(after.status, 302, 'a deactivated staff member is out at once');
  assert.equal(after.location, '/admin/login');
  assert.equal(noticeText(edited.body.notice), 'Muutokset tallennettu. Henkilö kirjattiin ulos ylläpidosta (1 istunto).');
  assert.equal(Number((await portal.db('staff_sessions').whereRaw(`(sess->'adminUser'->>'id')::int = ?`, [row.id]).count({ n: '*' }).first())?.n), 0);
});
