import type { ParsedMail } from 'mailparser';
import assert from 'node:assert/strict';
import { before, beforeEach, test } from 'node:test';
import { startBackgroundWorker } from '../../src/background.js';
import { mailStatusForMember } from '../../src/mail/status-for-member.js';
import { sendDueLinkReminders } from '../../src/passwords/link-reminders.js';
import { purgeExpiredData } from '../../src/retention.js';
import { StaffClient } from '../helpers/admin-api.js';
import { ESIMERKKILA, FEDERATION } from '../helpers/demo-accounts.js';
import { linksIn, orderLinkPaths, startClean, startPortal, type Portal } from '../helpers/portal.js';
import { addTestMembers } from '../helpers/test-members.js';
import { visibleText, WebClient } from '../helpers/web-client.js';

/**
 * A reminder before a first-time link runs out (src/passwords/link-reminders.ts), through the real
 * order form, background round, SMTP and «PALAUTA SALASANA» page. Time is moved by changing the
 * links' created_at and expires_at in SQL, as if the days had passed.
 */
let portal: Portal;
before(async () => {
  portal = await startPortal();
});
beforeEach(() => startClean(portal));

const REMINDER_SUBJECT = /^Muistutus: salasanalinkkisi vanhenee pian/;

/** A new member of their own (no password) who ordered a first link through the portal; its mail was sent. */
async function memberWithFirstLink(prefix: string) {
  const [email] = await addTestMembers(portal.db, 1, prefix);
  const [path] = await orderLinkPaths(portal, email!);
  const member = await portal.db('members').where({ email }).first('id', 'member_number', 'association_id');
  return { email: email!, path: path!, memberId: Number(member.id), memberNumber: member.member_number as string, associationId: Number(member.association_id), linkId: await newestLinkId(member.id) };
}

async function newestLinkId(memberId: number): Promise<number> {
  return Number((await portal.db('set_password_links').where({ member_id: memberId }).orderBy('id', 'desc').first('id')).id);
}

/** As if the link had been sent `lifetime - hoursLeft` hours ago: it now has `hoursLeft` hours left. */
async function ageLink(linkId: number, hoursLeft: number, lifetime = 168) {
  await portal.db('set_password_links')
    .where({ id: linkId })
    .update({ created_at: portal.db.raw(`now() - make_interval(hours => ?)`, [lifetime - hoursLeft]), expires_at: portal.db.raw(`now() + make_interval(hours => ?)`, [hoursLeft]) });
}

const reminderMails = (memberId: number) =>
  portal.db('mail_queue as q').join('mail_queue_members as mm', 'mm.mail_id', 'q.id').where({ 'mm.member_id': memberId, 'q.template': 'link-reminder' }).select('q.*');

const recipient = (mail: ParsedMail) => [mail.to ?? []].flat().map((to) => to.text).join(', ');

const pageText = async (path: string) => visibleText((await new WebClient(portal.base).get(path)).text);

test('a member whose first link is due gets exactly one reminder with a fresh, working link; the old link stops working; nothing more after', async () => {
  const maija = await memberWithFirstLink('muistutus');
  await ageLink(maija.linkId, 10);
  portal.smtp.clear();

  assert.equal(await portal.deliverMail(), 2, 'one reminder queued, one mail sent');
  const [mail] = await portal.smtp.waitFor(1);
  assert.equal(portal.smtp.messages.length, 1);
  assert.equal(recipient(mail!), maija.email);
  assert.equal(mail!.from?.value[0]?.address, portal.config.mailFromAddress);
  assert.match(mail!.subject ?? '', REMINDER_SUBJECT);
  assert.match(mail!.text ?? '', new RegExp(`Jäsennumero: ${maija.memberNumber}`));
  assert.match(mail!.text ?? '', /Linkki on voimassa 7 vuorokautta/);
  assert.match(mail!.text ?? '', /Tämä on ainoa muistutus/);
  assert.match(String(mail!.html), new RegExp(maija.memberNumber));
  const links = linksIn(mail!.text);
  assert.equal(links.length, 1);
  const fresh = new URL(links[0]!).pathname;
  assert.notEqual(fresh, maija.path);

  assert.match(await pageText(fresh), /PALAUTA SALASANA/, 'the new link opens the set-password page');
  const oldPage = await pageText(maija.path);
  assert.doesNotMatch(oldPage, /PALAUTA SALASANA/, 'the old link no longer works');
  assert.match(oldPage, /Linkin tilalle on lähetetty uusi/, 'and says why: not «Linkki on jo käytetty», no password was set');
  const old = await portal.db('set_password_links').where({ id: maija.linkId }).first();
  assert.equal(old.revoked_reason, 'reminded');
  const reminder = await portal.db('set_password_links').where({ reminder_for: maija.linkId }).first(portal.db.raw('*, extract(epoch from expires_at - now()) / 3600 as hours_left'));
  assert.equal(reminder.member_id, maija.memberId);
  assert.ok(Math.abs(Number(reminder.hours_left) - 168) < 0.1, 'valid as long as a first-time link, from when the mail left');
  const [audit] = await portal.db('audit_log').where({ member_id: maija.memberId, action: 'set-password-link.reminder-queued' });
  assert.equal(audit.actor_type, 'system');
  assert.equal(audit.details.mailId, Number(reminder.mail_id));
  // What staff read in «Sähköpostien tila»: the first mail's link replaced by the reminder's, which is valid.
  const [reminderLine, firstLine] = await mailStatusForMember(portal.db, maija.memberId);
  assert.deepEqual([reminderLine!.template, reminderLine!.link?.state], ['link-reminder', 'valid']);
  assert.deepEqual([firstLine!.template, firstLine!.link?.state], ['set-password-link', 'reminded']);

  assert.equal(await portal.deliverMail(), 0, 'another round sends nothing');
  // The reminder's own link, near its end, gets no reminder of its own.
  await ageLink(Number(reminder.id), 5);
  assert.equal(await portal.deliverMail(), 0, 'a reminder link is never reminded');
  assert.equal((await reminderMails(maija.memberId)).length, 1);
  assert.equal(portal.smtp.messages.length, 1);
});

test('the old link removed by the retention purge while the reminder link still works: the reminder link is still never reminded', async () => {
  const pia = await memberWithFirstLink('purku');
  await ageLink(pia.linkId, 10);
  assert.equal(await sendDueLinkReminders(portal.background), 1);
  await portal.deliverMail();
  await portal.db('set_password_links').where({ id: pia.linkId }).update({ revoked_at: portal.db.raw(`now() - interval '2 days'`) });
  await purgeExpiredData(portal.db, { ...portal.config, linkRetentionDays: 1 });
  assert.equal(await portal.db('set_password_links').where({ id: pia.linkId }).first(), undefined, 'the old link is gone');
  const reminderLink = await newestLinkId(pia.memberId);
  await ageLink(reminderLink, 5);
  assert.equal(await sendDueLinkReminders(portal.background), 0);
});

test('none once the password is set, and none for a member with a password whose reset link runs out', async () => {
  const teppo = await memberWithFirstLink('salasana');
  const client = new WebClient(portal.base);
  await client.get(teppo.path);
  assert.match(visibleText((await client.post(teppo.path, { password: 'Kesäinen iltapäivä rannalla' })).text), /Salasanasi on vaihdettu/);
  await portal.deliverMail();
  const [liisaLink] = await orderLinkPaths(portal, 'liisa.esimerkki@example.fi');
  assert.ok(liisaLink);
  const liisa = await portal.db('members').where({ member_number: '200001' }).first('id');
  // The used link, and Liisa's reset link (a member with a password), moved into the window.
  await ageLink(teppo.linkId, 10);
  await ageLink(await newestLinkId(liisa.id), 10);
  assert.equal(await sendDueLinkReminders(portal.background), 0);
  assert.deepEqual([(await reminderMails(teppo.memberId)).length, (await reminderMails(liisa.id)).length], [0, 0]);
});

test('none when the member has ordered again: while the new mail waits, and after it brought a newer link', async () => {
  const matti = await memberWithFirstLink('uudestaan');
  const order = new WebClient(portal.base);
  await order.get('/tilaa-salasana');
  await order.post('/tilaa-salasana', { email: matti.email });
  await ageLink(matti.linkId, 10);
  assert.equal(await sendDueLinkReminders(portal.background), 0, 'the new order is still in the queue: no reminder for the old link');

  await portal.deliverMail();
  const newest = await newestLinkId(matti.memberId);
  assert.notEqual(newest, matti.linkId);
  await ageLink(matti.linkId, 10);
  assert.equal(await sendDueLinkReminders(portal.background), 0, 'the old link is not the newest');
  assert.equal((await reminderMails(matti.memberId)).length, 0);

  await ageLink(newest, 10);
  assert.equal(await sendDueLinkReminders(portal.background), 1, 'the newest link, once due, is reminded');
});

test('none while the association has reminders off; one when they are turned on again', async () => {
  const ossi = await memberWithFirstLink('pois');
  await portal.db('associations').where({ id: ossi.associationId }).update({ link_reminders: false });
  try {
    await ageLink(ossi.linkId, 10);
    assert.equal(await sendDueLinkReminders(portal.background), 0);
  } finally {
    await portal.db('associations').where({ id: ossi.associationId }).update({ link_reminders: true });
  }
  assert.equal(await sendDueLinkReminders(portal.background), 1);
});

test('none for a link not yet in the window, before half its lifetime, or whose mail was not sent; none with LINK_REMINDER_HOURS=0', async () => {
  const anna = await memberWithFirstLink('ikkuna');
  await ageLink(anna.linkId, 30);
  assert.equal(await sendDueLinkReminders(portal.background), 0, '30 hours left, the window is 24');

  // A short first-time lifetime (22 hours): in the window at once, but not reminded before 11 hours have passed.
  await ageLink(anna.linkId, 20, 22);
  assert.equal(await sendDueLinkReminders(portal.background), 0, '2 of 22 hours passed');
  await ageLink(anna.linkId, 10, 22);

  const mailId = (await portal.db('set_password_links').where({ id: anna.linkId }).first('mail_id')).mail_id;
  await portal.db('mail_queue').where({ id: mailId }).update({ status: 'sending' });
  assert.equal(await sendDueLinkReminders(portal.background), 0, 'its mail is not known to have left');
  await portal.db('mail_queue').where({ id: mailId }).update({ status: 'sent' });

  const off = { ...portal.background, config: { ...portal.config, linkReminderHours: 0 } };
  assert.equal(await sendDueLinkReminders(off), 0, 'LINK_REMINDER_HOURS=0: no reminders at all');
  assert.equal(await sendDueLinkReminders(portal.background), 1, 'due once all of it holds');
});

test('members sharing an address who got their links in one mail get one reminder listing each, in their own language', async () => {
  const [maija, matti] = await portal.db('members').whereIn('member_number', ['100001', '100002']).orderBy('member_number').select('id');
  await portal.db('members').whereIn('id', [maija.id, matti.id]).update({ preferred_language: 'sv' });
  try {
    await orderLinkPaths(portal, 'maija.meikalainen@example.fi');
    for (const member of [maija, matti]) await ageLink(await newestLinkId(member.id), 10);
    portal.smtp.clear();
    await portal.deliverMail();
    const [mail] = await portal.smtp.waitFor(1);
    assert.equal(portal.smtp.messages.length, 1, 'one mail for the address');
    assert.match(mail!.subject ?? '', /^Påminnelse: din lösenordslänk går snart ut/);
    assert.match(mail!.text ?? '', /Medlemsnummer: 100001[\s\S]*Medlemsnummer: 100002/);
    const links = linksIn(mail!.text);
    assert.equal(links.length, 2);
    for (const link of links) assert.match(link, /\?lang=sv$/);
  } finally {
    await portal.db('members').whereIn('id', [maija.id, matti.id]).update({ preferred_language: null });
  }
});

test('a reminder the relay refuses for the time being is sent later with a new token; the refused one never works', async () => {
  const eero = await memberWithFirstLink('uusinta');
  await ageLink(eero.linkId, 10);
  portal.smtp.clear();
  portal.smtp.refuseNext(1);
  await portal.deliverMail();
  const [mail] = await reminderMails(eero.memberId);
  assert.equal(mail.status, 'retrying');
  const link = await portal.db('set_password_links').where({ reminder_for: eero.linkId }).first();
  assert.equal(link.revoked_reason, 'not-delivered');

  await portal.db('mail_queue').where({ id: mail.id }).update({ next_attempt_at: portal.db.fn.now() });
  await portal.deliverMail();
  const [sent] = await portal.smtp.waitFor(1);
  assert.equal((await reminderMails(eero.memberId))[0].status, 'sent');
  assert.match(await pageText(new URL(linksIn(sent!.text)[0]!).pathname), /PALAUTA SALASANA/);
  assert.equal(await portal.db('set_password_links').where({ reminder_for: eero.linkId }).count('* as n').first().then((r) => Number(r!.n)), 1, 'still one reminder link');
});

test('the background worker sends a reminder that falls due while it runs, on its own loop', async () => {
  const vilja = await memberWithFirstLink('tausta');
  portal.smtp.clear();
  const worker = startBackgroundWorker(portal.background, 50, 50);
  try {
    await ageLink(vilja.linkId, 10);
    const [mail] = await portal.smtp.waitFor(1, 5000);
    assert.match(mail!.subject ?? '', REMINDER_SUBJECT);
  } finally {
    await worker.stop();
  }
  assert.equal((await reminderMails(vilja.memberId)).length, 1);
});

test('back-office: federation staff turn reminders off for an association; its own staff see the setting but cannot change it', async () => {
  const association = await portal.db('associations').where({ name: 'Esimerkkilän Invalidit ry' }).first();
  const path = `/admin/api/resources/associations/records/${association.id}`;
  const federation = await StaffClient.login(portal.base, ...FEDERATION);
  try {
    const saved = await federation.post(`${path}/edit`, { name: association.name, contact_email: association.contact_email, link_reminders: 'false' });
    assert.equal(saved.status, 200);
    assert.equal((await portal.db('associations').where({ id: association.id }).first()).link_reminders, false);

    const own = await StaffClient.login(portal.base, ...ESIMERKKILA);
    assert.equal((await own.get(`${path}/show`)).json.record.params.link_reminders, false, 'shown to the association');
    await own.post(`${path}/edit`, { name: association.name, contact_email: association.contact_email, link_reminders: 'true' });
    assert.equal((await portal.db('associations').where({ id: association.id }).first()).link_reminders, false, 'association staff cannot change it');
  } finally {
    await portal.db('associations').where({ id: association.id }).update({ link_reminders: true });
  }
});
