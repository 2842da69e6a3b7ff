import assert from 'node:assert/strict';
import { test } from 'node:test';
import { migrateDownAll, migrateToLatest } from '../../src/db/connection.js';
import { createTestDatabase } from '../helpers/database.js';

const tables = async (db: import('knex').Knex) =>
  (await db('information_schema.tables').where({ table_schema: 'public' }).pluck('table_name')).sort();

test('migrations run up on an empty database, down to nothing, and up again', async () => {
  const { db } = await createTestDatabase({ fromTemplate: false });
  const applied = await migrateToLatest(db);
  assert.ok(applied.length > 0);
  const up = await tables(db);
  for (const table of ['associations', 'members', 'staff_users', 'member_credentials', 'staff_credentials']) {
    assert.ok(up.includes(table), `${table} exists after migrating up`);
  }

  await migrateDownAll(db);
  assert.deepEqual((await tables(db)).filter((t) => !t.startsWith('knex_migrations')), []);

  assert.deepEqual(await migrateToLatest(db), applied);
  assert.deepEqual(await tables(db), up);
});

test('open "user not found" cases that share an address are merged into one when cases become one per address', async () => {
  const { db } = await createTestDatabase({ fromTemplate: false });
  while (!(await db.migrate.list())[1].map((m: { file: string } | string) => (typeof m === 'string' ? m : m.file))[0]?.startsWith('008-')) await db.migrate.up();
  const [association] = await db('associations').insert({ name: 'Yhdistys', contact_email: 'y@example.fi' }).returning('id');
  const old = (days: number) => db.raw('now() - make_interval(days => ?)', [days]);
  await db('not_found_cases').insert([
    { email_typed: 'Sama@example.fi', created_at: old(5) },
    { email_typed: 'x@example.fi', email_to_add: 'sama@example.fi ', member_number: '123', name: 'Sanna Sama', association_id: association.id, created_at: old(3) },
    { email_typed: 'sama@example.fi', created_at: old(1) },
    { email_typed: 'sama@example.fi', created_at: old(10), resolved_at: old(9) },
    { email_typed: 'muu@example.fi', created_at: old(2) },
  ]);
  const span = await db('not_found_cases').whereRaw(`lower(btrim(coalesce(email_to_add, email_typed))) = 'sama@example.fi'`).whereNull('resolved_at').first(db.raw('min(created_at) AS first'), db.raw('max(created_at) AS last'));
  await migrateToLatest(db);
  const rows = await db('not_found_cases').orderBy('address').orderBy('id');
  assert.deepEqual(
    rows.map((r) => [r.address, r.attempts, r.name, r.member_number, r.association_id, r.resolved_at === null, r.requested_at !== null]),
    [
      ['muu@example.fi', 1, null, null, null, true, false],
      ['sama@example.fi', 3, 'Sanna Sama', '123', association.id, true, true],
      ['sama@example.fi', 1, null, null, null, false, false],
    ],
  );
  assert.deepEqual([rows[1].created_at, rows[1].last_attempt_at], [span.first, span.last], 'filed at the first attempt, last tried at the last');
});
