import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { seedBulk } from '../seeds/bulk.js';
import { seedDemoData } from '../seeds/demo.js';
import { createDb, migrateToLatest, type Db } from '../src/db/connection.js';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres.js';
import { hashPassword } from '../src/passwords/hashing.js';
import { processCpuSeconds } from './proc.js';

/**
 * The bench's own database: on the server in DATABASE_URL when set, otherwise on an embedded
 * PostgreSQL (the same package and start-up code as `npm start`) in a temporary folder, so the
 * developer's .data/ never gets 100,000 members. Either way a database of its own, dropped at the end.
 */
export interface BenchDatabase {
  url: string;
  name: string;
  db: Db;
  kind: 'embedded' | 'DATABASE_URL';
  close(): Promise<void>;
}

/** The password every bench member with a password has; the login measurement uses it. */
export const MEMBER_PASSWORD = 'Penkki-salasana-2026-kesä';

export async function openBenchDatabase(): Promise<BenchDatabase> {
  let adminUrl = process.env.DATABASE_URL;
  let stopServer = async () => undefined;
  if (!adminUrl) {
    const parent = await mkdtemp(path.join(os.tmpdir(), 'asp-bench-'));
    const server = await startEmbeddedPostgres(path.join(parent, 'cluster'));
    adminUrl = server.url;
    stopServer = async () => {
      await server.stop();
      await rm(parent, { recursive: true, force: true });
    };
  }
  const name = `asp_bench_${process.pid}`;
  const admin = createDb(adminUrl, { max: 1 });
  await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.raw(`CREATE DATABASE ${name}`);
  const url = withDatabase(adminUrl, name);
  const db = createDb(url, { max: 4 });
  return {
    url,
    name,
    db,
    kind: process.env.DATABASE_URL ? 'DATABASE_URL' : 'embedded',
    async close() {
      await db.destroy();
      await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
      await admin.destroy();
      await stopServer();
    },
  };
}

/**
 * Migrated, the demo set (its staff log in to the back-office), the bulk register, and a password for
 * `withPassword` bulk members (one hash shared: only the login measurement needs them).
 */
export async function fillBenchDatabase(db: Db, options: { members: number; withPassword: number; bcryptCost: number; progress: (line: string) => void }) {
  await migrateToLatest(db);
  await seedDemoData(db, { bcryptCost: options.bcryptCost });
  await seedBulk(db, { members: options.members, onProgress: (done, total) => options.progress(`bulk seed: members ${done} / ${total}`) });
  const hash = await hashPassword(MEMBER_PASSWORD, options.bcryptCost);
  await db.raw(
    `INSERT INTO member_credentials (member_id, password_hash)
     SELECT id, ? FROM members WHERE membership_status = 'active' AND member_number >= '500000' ORDER BY id DESC LIMIT ?`,
    [hash, options.withPassword],
  );
  await db.raw('VACUUM ANALYZE');
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** CPU seconds used so far by the server processes serving this database (Linux /proc; other users' processes are readable). */
export async function backendCpuSeconds(db: Db, database: string): Promise<Map<number, number>> {
  const rows: Array<{ pid: number }> = (await db.raw('SELECT pid FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()', [database])).rows;
  return new Map(rows.map(({ pid }) => [pid, processCpuSeconds(pid)]));
}

/** CPU seconds between two readings of backendCpuSeconds; a backend that started meanwhile counts from 0. */
export function cpuBetween(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, seconds] of after) total += seconds - (before.get(pid) ?? 0);
  return total;
}
