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
