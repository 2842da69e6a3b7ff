import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres.js';

/**
 * The PostgreSQL server a test run uses: DATABASE_URL when set (tests create and drop their own
 * databases there), otherwise an embedded one in a temporary folder.
 */
export async function startTestPostgres(): Promise<{ adminUrl: string; stop: () => Promise<void>; embedded: boolean }> {
  if (process.env.DATABASE_URL) return { adminUrl: process.env.DATABASE_URL, stop: async () => undefined, embedded: false };
  const parent = await mkdtemp(path.join(os.tmpdir(), 'asp-test-'));
  const server = await startEmbeddedPostgres(path.join(parent, 'cluster'));
  return { adminUrl: server.url, stop: server.stop, embedded: true };
}

export function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}
