import path from 'node:path';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { projectRoot } from '../project-root.js';
import { createDb, migrateToLatest, type Db } from './connection.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';

export interface OpenDatabase {
  db: Db;
  url: string;
  embedded: boolean;
  close(): Promise<void>;
}

/** DATABASE_URL when given; otherwise an embedded PostgreSQL whose data lives in .data/ of the project. */
export async function openDatabase(config: Config, logger: Logger): Promise<OpenDatabase> {
  let url = config.databaseUrl;
  let stopEmbedded: (() => Promise<void>) | undefined;
  if (!url) {
    const clusterDir = path.join(projectRoot, '.data', 'postgres');
    logger.info({ clusterDir }, 'DATABASE_URL not set: starting the embedded PostgreSQL');
    const server = await startEmbeddedPostgres(clusterDir);
    logger.info({ port: server.port }, 'embedded PostgreSQL is running on 127.0.0.1');
    url = server.url;
    stopEmbedded = server.stop;
  }
  const db = createDb(url);
  try {
    const applied = await migrateToLatest(db);
    if (applied.length > 0) logger.info({ applied }, 'database migrations applied');
  } catch (error) {
    await db.destroy();
    await stopEmbedded?.();
    throw error;
  }
  return {
    db,
    url,
    embedded: stopEmbedded !== undefined,
    async close() {
      await db.destroy();
      await stopEmbedded?.();
    },
  };
}
