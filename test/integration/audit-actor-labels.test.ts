import assert from 'node:assert/strict';
import { before, beforeEach, test } from 'node:test';
import { pruneActorLabels } from '../../src/audit/actor-labels.js';
import { writeAudit, writeAudits } from '../../src/audit/audit-log.js';
import type { Db } from '../../src/db/connection.js';
import { runMaintenance } from '../../src/maintenance.js';
import { seedDemoData } from '../../seeds/demo.js';
import { testConfig } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/database.js';

/**
 * The audit log's actor labels (migration 021, src/audit/actor-labels.ts), which its «Tekijä»
 * filter searches: every label written is there, and a label goes only when no row has it.
 */

let db: Db;
let staffId: number;
let matti: number;
const STAFF_LABEL = 'Liiton jäsenpalvelut <jasenpalvelut@liitto.example>';
const MATTI_LABEL = 'Matti Meikäläinen (100002)';

before(async () => {
  ({ db } = await createTestDatabase());
  await seedDemoData(db, { bcryptCost: 10 });
  staffId = (await db('staff_users').where({ email: 'jasenpalvelut@liitto.example' }).first('id')).id;
  matti = (await db('members').where({ member_number: '100002' }).first('id')).id;
});

beforeEach(async () => {
  await db.raw('TRUNCATE audit_log');
});

const labels = () => db('audit_actor_labels').orderBy('label').pluck('label');
const ageRows = (label: string, days: number) => db('audit_log').where({ actor_label: label }).update({ at: db.raw('now() - make_interval(days => ?)', [days]) });

test('every label written is kept once; emptying the log empties them', async () => {
  await writeAudits(db, [
    { actorType: 'staff', actorId: staffId, action: 'member.updated', memberId: matti },
    { actorType: 'staff', actorId: staffId, action: 'member.updated', memberId: matti },
    { actorType: 'member', actorId: matti, action: 'login.succeeded', memberId: matti },
    { actorType: 'system', action: 'set-password-link.batch-group-failed' },
  ]);
  await writeAudit(db, { actorType: 'staff', actorId: staffId, action: 'member.updated', memberId: matti });
  assert.deepEqual(await labels(), [STAFF_LABEL, MATTI_LABEL].sort());

  await db.raw('TRUNCATE audit_log');
  assert.deepEqual(await labels(), []);
});

test('the retention purge removes a label with its last row, and keeps one still in use', async () => {
  await writeAudit(db, { actorType: 'member', actorId: matti, action: 'login.succeeded', memberId: matti });
  await writeAudit(db, { actorType: 'staff', actorId: staffId, action: 'member.updated', memberId: matti });
  await writeAudit(db, { actorType: 'staff', actorId: staffId, action: 'member.updated', memberId: matti });
  await ageRows(MATTI_LABEL, 731);
  await db('audit_log').where({ actor_label: STAFF_LABEL }).whereIn('id', db('audit_log').where({ actor_label: STAFF_LABEL }).min('id')).update({ at: db.raw(`now() - interval '731 days'`) });

  const removed = await runMaintenance(db, testConfig());

  assert.equal(removed.audit, 2);
  assert.equal(removed.actorLabels, 1);
  assert.deepEqual(await labels(), [STAFF_LABEL], 'the member’s name went with their last row; the staff label has a row left');
});

test('a label being written again as its last old row is purged is kept: the prune waits for the writer', async () => {
  await writeAudit(db, { actorType: 'member', actorId: matti, action: 'login.succeeded', memberId: matti });
  await ageRows(MATTI_LABEL, 731);
  const writer = await db.transaction();
  let pruned: Promise<unknown> | undefined;
  try {
    // Matti logs in again while the old row is purged: his label is already there, the writer only reuses it.
    await writeAudit(writer, { actorType: 'member', actorId: matti, action: 'login.succeeded', memberId: matti });
    pruned = runMaintenance(db, testConfig());
    const waiting = await Promise.race([pruned.then(() => false), new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 500))]);
    assert.equal(waiting, true, 'the prune waits for the transaction writing the label');
    await writer.commit();
  } catch (error) {
    await writer.rollback();
    throw error;
  }
  const removed = (await pruned) as Awaited<ReturnType<typeof runMaintenance>>;
  assert.equal(removed.audit, 1);
  assert.equal(removed.actorLabels, 0);
  assert.deepEqual(await labels(), [MATTI_LABEL], 'the new row is found by his name');
});

test('a prune that cannot have the labels at once gives up without error, and the next one removes them', async () => {
  await writeAudit(db, { actorType: 'member', actorId: matti, action: 'login.succeeded', memberId: matti });
  await db('audit_log').del();
  const writer = await db.transaction();
  try {
    await writeAudit(writer, { actorType: 'staff', actorId: staffId, action: 'member.updated', memberId: matti });
    assert.equal(await pruneActorLabels(db, '200ms'), 0);
  } finally {
    await writer.rollback();
  }
  assert.equal(await pruneActorLabels(db), 1);
  assert.deepEqual(await labels(), []);
});
