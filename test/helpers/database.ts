import { randomBytes } from 'node:crypto';
import { onFileEnd } from './cleanup.js';
import { createDb, type Db } from '../../src/db/connection.js';
import { databaseUrl } from './test-server.js';

/**
 * A fresh database per test file, copied from the migrated template that test/run.ts prepared.
 * Dropped when the file's tests end.
 */
export interface TestDatabase {
  db: Db;
  url: string;
  name: string;
}

export function testEnvironment() {
  const adminUrl = process.env.TEST_PG_ADMIN_URL;
  const template = process.env.TEST_PG_TEMPLATE;
  if (!adminUrl || !template) throw new Error('Run the tests with `npm test` (test/run.ts prepares the database server).');
  return { adminUrl, template };
}

export async function createTestDatabase(options: { fromTemplate?: boolean } = {}): Promise<TestDatabase> {
  const { adminUrl, template } = testEnvironment();
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = createDb(adminUrl, { max: 1 });
  try {
    await admin.raw(options.fromTemplate === false ? `CREATE DATABASE ${name}` : `CREATE DATABASE ${name} TEMPLATE ${template}`);
  } finally {
    await admin.destroy();
  }
  const url = databaseUrl(adminUrl, name);
  const db = createDb(url);
  onFileEnd(async () => {
    await db.destroy();
    await dropDatabase(name);
  });
  return { db, url, name };
}

export async function dropDatabase(name: string): Promise<void> {
  const admin = createDb(testEnvironment().adminUrl, { max: 1 });
  try {
    await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await admin.destroy();
  }
}
