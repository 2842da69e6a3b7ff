import assert from 'node:assert/strict';
import { before, beforeEach, test } from 'node:test';
import { verifyPassword } from '../../src/passwords/hashing.js';
import { demoIds, lastMailId, noticeText, StaffClient } from '../helpers/admin-api.js';
import { orderLinkPaths, type Portal, startClean, startPortal } from '../helpers/portal.js';
import { WebClient } from '../helpers/web-client.js';
import { ESIMERKKILA, FEDERATION } from '../helpers/demo-accounts.js';

/**
 * Changing a member's email, through the real back-office edit form, has one set of consequences
 * whoever does it: links mailed to the old address stop working, mail still waiting for the old
 * address leaves without a link, open "user not found" cases for the new address close, staff are
 * told when the address is shared, and an ended membership takes its links along.
 */
let portal: Portal;
let ids: Awaited<ReturnType<typeof demoIds>>;
const edit = (memberId: number) => `/admin/api/resources/members/records/${memberId}/edit`;

before(async () => {
  portal = await startPortal();
  ids = await demoIds(portal.db);
});
beforeEach(() => startClean(portal));

async function passwordHash(memberNumber: string) {
  return (await portal.db('member_credentials').join('members', 'members.id', 'member_credentials.member_id').where({ member_number: memberNumber }).first('password_hash'))?.password_hash;
}

test('a link mailed to the old address stops working when staff correct the email in the edit form', async () => {
  const liisa = ids.member('200001');
  const [path] = await orderLinkPaths(portal, 'liisa.esimerkki@example.fi');
  const holder = new WebClient(portal.base);
  assert.equal((await holder.get(path!)).status, 200, 'the link works before the correction');
  const hashBefore = await passwordHash('200001');

  const federation = await StaffClient.login(portal.base, ...FEDERATION);
  const saved = await federation.post(edit(liisa), { email: 'liisa.oikea@example.fi' });
  assert.equal(saved.status, 200);
  assert.equal(saved.json.notice.type, 'success');
  assert.equal(
    noticeText(saved.json.notice),
    'Muutokset tallennettu. Uusi osoite on käytössä: aiemmin lähetetyt salasanalinkit (1 kpl) eivät enää toimi, ja tämän osoitteen avoimet «Käyttäjää ei löydy» -tapaukset (0 kpl) suljettiin.',
  );

  const opened = await holder.get(path!);
  assert.equal(opened.status, 410, 'the old link is refused');
  const posted = await holder.post(path!, { password: 'Vanhan osoitteen haltija 2026' });
  assert.equal(posted.status, 410);
  assert.equal(await passwordHash('200001'), hashBefore, 'the password was not changed');
  assert.equal(await verifyPassword('Vanhan osoitteen haltija 2026', hashBefore), false);

  const link = await portal.db('set_password_links').where({ member_id: liisa }).orderBy('id', 'desc').first();
  assert.equal(link.revoked_reason, 'account-changed');
  const audit = await portal.db('audit_log').where({ member_id: liisa, action: 'member.email-changed' }).orderBy('id', 'desc').first();
  assert.deepEqual(audit.details, { email: { old: 'liisa.esimerkki@example.fi', new: 'liisa.oikea@example.fi' } });
  await portal.db('members').where({ id: liisa }).update({ email: 'liisa.esimerkki@example.fi' });
});

test('mail still waiting for the old address leaves without a link after the correction', async () => {
  const liisa = ids.member('200001');
  const client = new WebClient(portal.base);
  await client.get('/tilaa-salasana');
  await client.post('/tilaa-salasana', { email: 'liisa.esimerkki@example.fi' });
  const since = await lastMailId(portal.db);

  const federation = await StaffClient.login(portal.base, ...FEDERATION);
  assert.equal((await federation.post(edit(liisa), { email: 'liisa.oikea@example.fi' })).json.notice.type, 'success');
  await portal.deliverMail();

  assert.deepEqual(portal.smtp.messages, [], 'nothing was sent to the old address');
  const queued = await portal.db('mail_queue').where({ id: since }).first();
  assert.equal(queued.status, 'failed');
  assert.match(queued.last_error, /none of the members can get a link at this address/);
  assert.equal(await portal.db('set_password_links').where({ member_id: liisa, mail_id: since }).whereNull('revoked_at').first(), undefined, 'no live link was made for it');
  await portal.db('members').where({ id: liisa }).update({ email: 'liisa.esimerkki@example.fi' });
});

test('adding an address closes the open cases for it and says so; a shared address is pointed out', async () => {
  const teemu = ids.member('100003');
  const address = 'maija.meikalainen@example.fi'; // Maija's and Matti's household address
  await portal.db('members').where({ id: teemu }).update({ email: null });
  const cases = await portal
    .db('not_found_cases')
    .insert([{ email_typed: 'muu@example.fi', email_to_add: 'MAIJA.meikalainen@example.fi ', association_id: ids.esimerkkila }, { email_typed: 'toinen@example.fi' }])
    .returning('id');

  const staff = await StaffClient.login(portal.base, ...ESIMERKKILA);
  const saved = await staff.post(edit(teemu), { email: address });
  assert.equal(saved.json.notice.type, 'info', 'a shared address is worth a second look');
  assert.equal(
    noticeText(saved.json.notice),
    'Muutokset tallennettu. Uusi osoite on käytössä: aiemmin lähetetyt salasanalinkit (0 kpl) eivät enää toimi, ja tämän osoitteen avoimet «Käyttäjää ei löydy» -tapaukset (1 kpl) suljettiin. Sama osoite on myös 2 muulla jäsenellä: heidän linkkinsä tulevat samassa viestissä.',
  );
  const rows = await portal.db('not_found_cases').whereIn('id', cases.map((c) => c.id)).orderBy('id');
  assert.deepEqual(
    rows.map((r) => [r.email_typed, r.resolved_at !== null, r.resolved_member_id]),
    [
      ['muu@example.fi', true, teemu],
      ['toinen@example.fi', false, null],
    ],
  );
  await portal.db('members').where({ id: teemu }).update({ email: null });
});

test('saving the form without changing the address changes nothing about links or cases', async () => {
  const liisa = ids.member('200001');
  const [path] = await orderLinkPaths(portal, 'liisa.esimerkki@example.fi');
  const federation = await StaffClient.login(portal.base, ...FEDERATION);
  const saved = await federation.post(edit(liisa), { email: 'liisa.esimerkki@example.fi', first_name: 'Liisa' });
  assert.equal(noticeText(saved.json.notice), 'Muutokset tallennettu');
  assert.equal((await new WebClient(portal.base).get(path!)).status, 200, 'the link still works');
});

test('ending a membership in the edit form revokes its links and ends its sessions', async () => {
  const liisa = ids.member('200001');
  const [path] = await orderLinkPaths(portal, 'liisa.esimerkki@example.fi');
  const member = new WebClient(portal.base);
  await member.get('/kirjaudu');
  assert.equal((await member.post('/kirjaudu', { memberNumber: '200001', password: 'Liisan-salasana-2026' })).status, 303);

  const outstanding = await portal.db('set_password_links').where({ member_id: liisa }).whereNull('used_at').whereNull('revoked_at');
  assert.ok(outstanding.length >= 1);
  const federation = await StaffClient.login(portal.base, ...FEDERATION);
  assert.equal((await federation.post(edit(liisa), { membership_status: 'ended' })).json.notice.type, 'success');
  try {
    assert.equal((await new WebClient(portal.base).get(path!)).status, 410, 'the link no longer opens the form');
    const account = await member.get('/omat-tiedot');
    assert.equal(account.status, 303, 'the session has ended');
    assert.equal(account.location, '/kirjaudu');
    const audit = await portal.db('audit_log').where({ member_id: liisa, action: 'member.membership-ended' }).orderBy('id', 'desc').first();
    assert.equal(audit.details.linksRevoked, outstanding.length);
    assert.equal(audit.details.sessionsEnded, 1);
  } finally {
    await portal.db('members').where({ id: liisa }).update({ membership_status: 'active' });
  }
});

test('an invalid address in the edit form is a field error and changes nothing', async () => {
  const liisa = ids.member('200001');
  const federation = await StaffClient.login(portal.base, ...FEDERATION);
  const saved = await federation.post(edit(liisa), { email: 'ei osoite' });
  assert.equal(saved.json.notice.type, 'error');
  assert.match(saved.json.record.errors.email.message, /Sähköpostiosoite ei ole oikean muotoinen/);
  assert.equal((await portal.db('members').where({ id: liisa }).first()).email, 'liisa.esimerkki@example.fi');
});
