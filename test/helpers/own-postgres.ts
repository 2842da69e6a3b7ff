import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { onFileEnd } from './cleanup.js';
import { createDb, migrateToLatest, type Db } from '../../src/db/connection.js';
import { startEmbeddedPostgres, type EmbeddedServer } from '../../src/db/embedded-postgres.js';

/**
 * A PostgreSQL server of the test file's own, for tests that stop the database under the app:
 * stopping the run's shared server (or this machine's service) would break every other test.
 * Migrated; stopped and removed when the file's tests end, whatever state it was left in.
 */
export interface OwnPostgres {
  url: string;
  db: Db;
  port: number;
  /** Stops the server (fast shutdown: clients are disconnected), as an outage does. */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same data. */
  start(): Promise<void>;
}

export async function startOwnPostgres(): Promise<OwnPostgres> {
  const parent = await mkdtemp(path.join(os.tmpdir(), 'asp-own-'));
  const clusterDir = path.join(parent, 'cluster');
  let server: EmbeddedServer | undefined = await startEmbeddedPostgres(clusterDir);
  const port = server.port;
  const url = server.url;
  const db = createDb(url);
  onFileEnd(async () => {
    await db.destroy();
    await server?.stop();
    await rm(parent, { recursive: true, force: true });
  });
  await migrateToLatest(db);
  return {
    url,
    db,
    port,
    async stop() {
      const running = server;
      server = undefined;
      await running?.stop();
    },
    async start() {
      if (!server) server = await startEmbeddedPostgres(clusterDir, { port });
    },
  };
}
