import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RECORD_SENT } from '../../src/mail/worker.js';
import { startLinkSend } from '../../src/passwords/link-batches.js';
import { asPrincipal } from '../../src/staff/principal.js';
import { demoIds } from '../helpers/admin-api.js';
import { ESIMERKKILA } from '../helpers/demo-accounts.js';
import { startPortal } from '../helpers/portal.js';

/**
 * A new installation's first big send: the link and mail tables were last analysed nearly empty, and
 * autovacuum looks again only after a minute. PostgreSQL then planned the statement that records a
 * sent mail as a read of every link (a sequential scan, or the partial index of all outstanding links):
 * 50–110 ms a record at 12,000–19,000 links, a 30,000-mail send slowed from 320 to 120 mails/s. The
 * slicer and the mail worker keep the statistics current (src/db/statistics.ts), so each mail's links
 * are found by links_mail.
 */
test('during a large send, recording its mail as sent finds each mail\'s links by their mail', async () => {
  const portal = await startPortal();
  const { db } = portal;
  await db.raw('ANALYZE'); // the statistics of a new installation: a handful of demo rows
  const ids = await demoIds(db);
  const members = Array.from({ length: 2500 }, (_, i) => ({
    member_number: String(300000 + i),
    first_name: 'Massa',
    last_name: `Jäsen ${i}`,
    email: `massa.${i}@example.fi`,
    association_id: ids.esimerkkila,
  }));
  const memberIds: number[] = [];
  for (let i = 0; i < members.length; i += 500) memberIds.push(...(await db('members').insert(members.slice(i, i + 500)).returning('id')).map((row) => row.id as number));
  const staffRow = await db('staff_users').where({ email: ESIMERKKILA[0] }).first();
  const staff = asPrincipal({ id: staffRow.id, email: staffRow.email, name: staffRow.name, role: staffRow.role, associationId: staffRow.association_id })!;

  await startLinkSend(db, staff, { memberIds });
  await portal.deliverMail(); // the slices, then the mails (each mail's link is made as it is built)
  const linked = Number((await db('set_password_links').whereNotNull('mail_id').count({ n: '*' }).first())!.n);
  assert.ok(linked >= 2500, `links made: ${linked}; outcomes ${JSON.stringify(await db('link_batch_members').select('outcome').count({ n: '*' }).groupBy('outcome'))}`);

  // As the mail worker records a claim's mails: 20 of them, their claims' attempts.
  const claimed = (await db('mail_queue').orderBy('id', 'desc').limit(20).pluck('id')).map(Number);
  const [{ 'QUERY PLAN': plan }] = (await db.raw(`EXPLAIN (FORMAT JSON) ${RECORD_SENT}`, [claimed, claimed, claimed.map(() => 1)])).rows;
  // Every scan of the link table in the plan: its kind and the index it goes through.
  type PlanNode = { 'Node Type': string; 'Relation Name'?: string; 'Index Name'?: string; Plans?: PlanNode[] };
  const linkScans: string[] = [];
  const visit = (node: PlanNode, table?: string) => {
    const relation = node['Relation Name'] ?? table;
    if (relation === 'set_password_links' && node['Node Type'] !== 'ModifyTable') linkScans.push(`${node['Node Type']} ${node['Index Name'] ?? ''}`.trim());
    for (const child of node.Plans ?? []) visit(child, node['Node Type'] === 'Bitmap Heap Scan' ? relation : undefined);
  };
  visit(plan[0].Plan);
  assert.ok(linkScans.some((scan) => scan.endsWith('links_mail')), `links read by their mail: ${linkScans.join(', ')}`);
  assert.ok(!linkScans.some((scan) => scan.startsWith('Seq Scan')), `the link table is not read whole: ${linkScans.join(', ')}`);
  assert.ok(!linkScans.some((scan) => scan.includes('outstanding')), `not through every outstanding link: ${linkScans.join(', ')}`);
});
