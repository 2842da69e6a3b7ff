import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { runBackgroundRound } from '../../src/background.js';
import { linkSendProgress, MAX_GROUP_ATTEMPTS, startLinkSend } from '../../src/passwords/link-batches.js';
import { requestSetPasswordLink } from '../../src/passwords/order-link.js';
import { sendLinkNow } from '../../src/passwords/send-link-now.js';
import { findActiveStaff } from '../../src/staff/principal.js';
import { demoIds } from '../helpers/admin-api.js';
import { startPortal, type Portal } from '../helpers/portal.js';

/**
 * A staff link send whose group keeps failing ends as failed with its reason after a bounded
 * number of attempts, and never holds up the rest of the send or the mail queue. The failure is
 * real: the database refuses to queue mail for one address (a trigger in this file's own database,
 * dropped with it), as it would on a fault.
 */
let portal: Portal;
let ids: Awaited<ReturnType<typeof demoIds>>;
const BROKEN = 'rikki@example.fi';

before(async () => {
  portal = await startPortal();
  ids = await demoIds(portal.db);
  await portal.db.raw(`
    CREATE FUNCTION refuse_broken_address() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.to_address = '${BROKEN}' THEN RAISE EXCEPTION 'simulated fault queueing mail for %', NEW.to_address; END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER refuse_broken_address BEFORE INSERT ON mail_queue FOR EACH ROW EXECUTE FUNCTION refuse_broken_address();`);
});

test('a failing group is tried a bounded number of times, then ends as failed; the rest and the mail queue go on', async () => {
  const teemu = ids.member('100003');
  await portal.db('members').where({ id: teemu }).update({ email: BROKEN });
  const staff = (await findActiveStaff(portal.db, ids.staff('sihteeri@esimerkkila.example')))!;
  const batchId = await startLinkSend(portal.db, staff, { memberIds: [ids.member('100001'), ids.member('100002'), teemu] });

  // A member's own order, queued while the send is going on.
  const order = await requestSetPasswordLink(portal.background, { email: 'liisa.esimerkki@example.fi', language: 'fi', clientKey: '127.0.0.1' });
  assert.equal(order.kind, 'queued');

  assert.equal(await runBackgroundRound(portal.background), 4, 'two groups handled (one of them failed), then two mails sent');
  let progress = (await linkSendProgress(portal.db, staff, batchId))!;
  assert.equal(progress.linked, 2, 'Maija and Matti got their link');
  assert.equal(progress.preparing, 1, 'Teemu waits for another attempt');
  const orderMail = await portal.db('mail_queue').where({ id: (order as { mailId: number }).mailId }).first();
  assert.equal(orderMail.status, 'sent', 'the order was sent in the same round as the failure');

  for (let attempt = 2; attempt <= MAX_GROUP_ATTEMPTS; attempt++) {
    assert.equal(await runBackgroundRound(portal.background), 0, 'Teemu is not due again yet');
    await portal.db('link_batch_members').where({ batch_id: batchId, member_id: teemu }).update({ not_before: portal.db.raw(`now() - interval '1 second'`) });
    assert.equal(await runBackgroundRound(portal.background), 1, `attempt ${attempt}`);
  }
  const row = await portal.db('link_batch_members').where({ batch_id: batchId, member_id: teemu }).first();
  assert.equal(row.outcome, 'failed');
  assert.equal(row.attempts, MAX_GROUP_ATTEMPTS);
  assert.match(row.last_error, /^simulated fault queueing mail for rikki@example\.fi$/, 'the database\'s own words, not the statement before them');
  assert.equal(await runBackgroundRound(portal.background), 0, 'nothing left to try');

  progress = (await linkSendProgress(portal.db, staff, batchId))!;
  assert.deepEqual({ ...progress, mails: undefined }, { batchId, members: 3, preparing: 0, linked: 2, tooMany: 0, skipped: 0, failed: 1, mails: undefined, done: true });
  const audit = await portal.db('audit_log').where({ action: 'set-password-link.batch-group-failed' }).first();
  assert.equal(Number(audit.details.batchId), batchId);
  assert.equal(portal.smtp.messages.length, 2, 'Liisa\'s order and the household mail');
  await portal.db('members').where({ id: teemu }).update({ email: null });
});

test('a link sent at once to one member reports a fault as failed and leaves no half-done send', async () => {
  const teemu = ids.member('100003');
  await portal.db('members').where({ id: teemu }).update({ email: BROKEN });
  const staff = (await findActiveStaff(portal.db, ids.staff('sihteeri@esimerkkila.example')))!;
  assert.equal(await sendLinkNow(portal.background, staff, teemu), 'failed');
  const pending = await portal.db('link_batch_members').where({ member_id: teemu }).whereNull('outcome');
  assert.deepEqual(pending, [], 'nothing is left for the worker to retry behind the staff member\'s back');
  await portal.db('members').where({ id: teemu }).update({ email: null });
});
