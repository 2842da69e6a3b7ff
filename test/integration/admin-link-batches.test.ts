import assert from 'node:assert/strict';
import { before, beforeEach, test } from 'node:test';
import { runBackgroundRound } from '../../src/background.js';
import { runMaintenance } from '../../src/maintenance.js';
import { requestSetPasswordLink } from '../../src/passwords/order-link.js';
import { linkSendProgress, processLinkBatches, startLinkSend } from '../../src/passwords/link-batches.js';
import { asPrincipal, type StaffPrincipal } from '../../src/staff/principal.js';
import { demoIds, lastMailId, linkMails, StaffClient } from '../helpers/admin-api.js';
import { linksIn, type Portal, startClean, startPortal } from '../helpers/portal.js';
import { ESIMERKKILA, FEDERATION, MALLILA } from '../helpers/demo-accounts.js';

/**
 * Link sends to many members from the back-office: the confirmation shows how many before
 * anything is sent, confirming records the send in the database, the background worker turns it
 * into mail a slice at a time, and staff follow the progress. Real PostgreSQL, real SMTP on loopback.
 */
let portal: Portal;
let ids: Awaited<ReturnType<typeof demoIds>>;

const members = (path: string) => `/admin/api/resources/members${path}`;
const progressOf = (batchId: number) => members(`/actions/linkSendProgress?batchId=${batchId}`);

before(async () => {
  portal = await startPortal();
  ids = await demoIds(portal.db);
});

beforeEach(() => startClean(portal));

async function staffPrincipal(email: string): Promise<StaffPrincipal> {
  const row = await portal.db('staff_users').where({ email }).first();
  return asPrincipal({ id: row.id, email: row.email, name: row.name, role: row.role, associationId: row.association_id })!;
}

test('bulkSendLink: opening it shows how many get a link and who does not; confirming queues one mail per address', async () => {
  const staff = await StaffClient.login(portal.base, ...ESIMERKKILA);
  const selected = [ids.member('100001'), ids.member('100002'), ids.member('100003')].join(',');
  const since = await lastMailId(portal.db);

  const opened = await staff.get(members(`/bulk/bulkSendLink?recordIds=${selected}`));
  assert.equal(opened.status, 200);
  assert.deepEqual(opened.json.preview, { members: 2, mails: 1, noEmail: { count: 1, sample: ['100003'] }, ended: { count: 0, sample: [] } });
  assert.equal(opened.json.records.length, 3);
  assert.deepEqual(await linkMails(portal.db, since), [], 'opening the confirmation sends nothing');
  assert.equal(await portal.db('link_batches').count({ n: '*' }).first().then((r) => Number(r!.n)), 0);

  const confirmed = await staff.post(members(`/bulk/bulkSendLink?recordIds=${selected}`), { confirm: '1' });
  assert.equal(confirmed.status, 200);
  assert.deepEqual(confirmed.json.notice, { message: 'linkSend_started', options: { count: 2 }, type: 'success' });
  const batchId = confirmed.json.progress.batchId as number;
  assert.equal(confirmed.json.progress.members, 2);
  assert.equal(confirmed.json.progress.done, false, 'the worker has not run yet');

  await portal.deliverMail();
  assert.deepEqual(await linkMails(portal.db, since), [{ to: 'maija.meikalainen@example.fi', members: ['100001', '100002'] }]);
  const [mail] = await portal.smtp.waitFor(1);
  assert.equal(linksIn(mail!.text).length, 2, 'a link for each member in the one mail');

  const progress = await staff.get(progressOf(batchId));
  assert.deepEqual(progress.json.progress, { batchId, members: 2, preparing: 0, linked: 2, tooMany: 0, skipped: 0, failed: 0, mails: { waiting: 0, sent: 1, failed: 0 }, done: true });

  const audit = await portal.db('audit_log').where({ action: 'set-password-link.batch-started', actor_id: ids.staff(ESIMERKKILA[0]) }).orderBy('id', 'desc').first();
  assert.deepEqual(audit.details, { batchId, selection: 'selected', members: 2, noEmail: 1, ended: 0 });
  assert.equal(await portal.db('audit_log').where({ action: 'set-password-link.queued' }).whereIn('member_id', [ids.member('100001'), ids.member('100002')]).where('id', '>', audit.id).count({ n: '*' }).first().then((r) => Number(r!.n)), 2);
});

test('sendToAllWaiting: the confirmation counts the association\'s own waiting members; only they get mail', async () => {
  // Pekka (Mallila) gets an address for this test: Mallila then has a member waiting too.
  await portal.db('members').where({ id: ids.member('200002') }).update({ email: 'pekka.puuttuva@example.fi' });
  try {
    const waiting = await portal
      .db('members as m')
      .leftJoin('member_credentials as c', 'c.member_id', 'm.id')
      .where({ 'm.association_id': ids.esimerkkila, 'm.membership_status': 'active' })
      .whereNotNull('m.email')
      .whereNull('c.member_id')
      .orderBy('m.member_number')
      .pluck('m.member_number');
    assert.ok(waiting.length >= 2, `waiting: ${waiting}`);
    const staff = await StaffClient.login(portal.base, ...ESIMERKKILA);
    const since = await lastMailId(portal.db);

    const opened = await staff.get(members('/actions/sendToAllWaiting'));
    assert.equal(opened.json.preview.members, waiting.length);
    assert.deepEqual(await linkMails(portal.db, since), []);

    const confirmed = await staff.post(members('/actions/sendToAllWaiting'), { confirm: '1' });
    assert.equal(confirmed.json.notice.type, 'success');
    await portal.deliverMail();
    assert.deepEqual((await linkMails(portal.db, since)).flatMap((mail) => mail.members).sort(), waiting);
    assert.ok(portal.smtp.messages.every((mail) => !/pekka/i.test(JSON.stringify(mail.to))), 'no mail to Mallila');

    const federation = await StaffClient.login(portal.base, ...FEDERATION);
    const everyone = await federation.get(members('/actions/sendToAllWaiting'));
    assert.ok(everyone.json.preview.members > waiting.length, 'federation staff count everyone (Pekka too)');
  } finally {
    await portal.db('members').where({ id: ids.member('200002') }).update({ email: null });
  }
});

test('a send\'s progress is for the staff member who started it; nobody else, and no guessing of ids', async () => {
  const esimerkkila = await StaffClient.login(portal.base, ...ESIMERKKILA);
  const started = await esimerkkila.post(members(`/bulk/bulkSendLink?recordIds=${ids.member('100001')}`), { confirm: '1' });
  const batchId = started.json.progress.batchId as number;
  assert.ok(batchId > 0);
  for (const account of [MALLILA, FEDERATION] as const) {
    const other = await StaffClient.login(portal.base, account[0], account[1]);
    const answer = await other.get(progressOf(batchId));
    assert.equal(answer.status, 200);
    assert.equal(answer.json?.progress ?? null, null, `${account[0]} reads nothing`);
  }
  for (const bogus of ['', 'abc', '-1', '1e99', `${batchId}' OR 1=1`]) {
    const answer = await esimerkkila.get(members(`/actions/linkSendProgress?batchId=${encodeURIComponent(bogus)}`));
    assert.equal(answer.status, 200, bogus);
    assert.equal(answer.json?.progress ?? null, null, bogus);
  }
  await portal.deliverMail();
});

test('nobody selected can get a link: the notice says so and nothing is sent', async () => {
  const staff = await StaffClient.login(portal.base, ...ESIMERKKILA);
  const since = await lastMailId(portal.db);
  const opened = await staff.get(members(`/bulk/bulkSendLink?recordIds=${ids.member('100003')}`));
  assert.equal(opened.json.preview.members, 0);
  const confirmed = await staff.post(members(`/bulk/bulkSendLink?recordIds=${ids.member('100003')}`), { confirm: '1' });
  assert.deepEqual(confirmed.json.notice, { message: 'linkSend_nothingSent', type: 'error' });
  await portal.deliverMail();
  assert.deepEqual(await linkMails(portal.db, since), []);
});

test('a large send is made in slices, does not hold up a member\'s own order, and survives a stopped worker', async () => {
  const staff = await staffPrincipal(ESIMERKKILA[0]);
  const slice = portal.config.linkSendSlice;
  const size = slice + 20;
  const extra = Array.from({ length: size }, (_, i) => ({
    member_number: String(190000 + i),
    first_name: 'Massa',
    last_name: `Jäsen ${i}`,
    email: `massa.${i}@example.fi`,
    association_id: ids.esimerkkila,
  }));
  const extraIds = (await portal.db('members').insert(extra).returning('id')).map((row) => row.id as number);
  const deps = portal.background;
  try {
    const batchId = await startLinkSend(portal.db, staff, { memberIds: extraIds });
    // One member loses their address after the send was started: skipped, not mailed.
    await portal.db('members').where({ id: extraIds[0] }).update({ email: null });
    // A member orders a link from the portal meanwhile.
    const order = await requestSetPasswordLink(deps, { email: 'liisa.esimerkki@example.fi', language: 'fi', clientKey: '127.0.0.1' });
    assert.equal(order.kind, 'queued');

    await runBackgroundRound(deps);
    let progress = (await linkSendProgress(portal.db, staff, batchId))!;
    assert.equal(progress.members - progress.preparing, slice, 'one round handles one slice of addresses');
    assert.equal(await portal.db('mail_queue').where({ id: (order as { mailId: number }).mailId }).first().then((m) => m.status), 'sent', 'Liisa\'s mail went in the first round');

    // A worker stopped in the middle of a slice: its claim is taken over once it is old enough.
    const stranded = portal.db('link_batch_members').where({ batch_id: batchId }).whereNull('outcome').orderBy('member_id').limit(3).select('member_id');
    await portal.db('link_batch_members').where({ batch_id: batchId }).whereIn('member_id', stranded).update({ outcome: 'sending', claimed_at: portal.db.raw(`now() - interval '1 minute'`) });
    await processLinkBatches(deps, { batchId, maxGroups: 1000 });
    progress = (await linkSendProgress(portal.db, staff, batchId))!;
    assert.equal(progress.preparing, 3, 'a fresh claim is left to the worker holding it');
    await portal.db('link_batch_members').where({ batch_id: batchId, outcome: 'sending' }).update({ claimed_at: portal.db.raw(`now() - interval '6 minutes'`) });
    await processLinkBatches(deps, { batchId, maxGroups: 1000 });

    progress = (await linkSendProgress(portal.db, staff, batchId))!;
    assert.deepEqual({ ...progress, mails: undefined }, { batchId, members: size, preparing: 0, linked: size - 1, tooMany: 0, skipped: 1, failed: 0, mails: undefined, done: false });
    assert.equal(progress.mails.waiting + progress.mails.sent, size - 1, 'one mail per member with an address');
    await portal.deliverMail();
    progress = (await linkSendProgress(portal.db, staff, batchId))!;
    assert.deepEqual(progress.mails, { waiting: 0, sent: size - 1, failed: 0 });
    assert.equal(progress.done, true);
    assert.equal(new Set(portal.smtp.messages.map((m) => JSON.stringify(m.to))).size, portal.smtp.messages.length, 'nobody got two mails');
  } finally {
    await portal.db('members').whereIn('id', extraIds).delete();
  }
});

test('finished sends are purged after 30 days; one still going is kept however old', async () => {
  const staff = await staffPrincipal(ESIMERKKILA[0]);
  const finished = await startLinkSend(portal.db, staff, { memberIds: [ids.member('100001')] });
  const going = await startLinkSend(portal.db, staff, { memberIds: [ids.member('100002')] });
  const fresh = await startLinkSend(portal.db, staff, { memberIds: [ids.member('100003')] });
  await processLinkBatches(portal.background, { batchId: finished });
  await portal.db('link_batches').whereIn('id', [finished, going]).update({ created_at: portal.db.raw(`now() - interval '31 days'`) });

  const removed = await runMaintenance(portal.db, portal.config);
  assert.equal(removed.linkSends, 1);
  assert.deepEqual((await portal.db('link_batches').whereIn('id', [finished, going, fresh]).orderBy('id').pluck('id')).map(Number), [going, fresh]);
  assert.equal(await portal.db('link_batch_members').where({ batch_id: finished }).first(), undefined, 'its rows went with it');
  await portal.deliverMail();
});
