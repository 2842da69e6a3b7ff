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

export interface OpenOptions {
  /** Where the embedded PostgreSQL keeps its data; .data/postgres of the project by default. */
  clusterDir?: string;
  /** The caller stops on SIGINT/SIGTERM itself and closes the database last (see startEmbeddedPostgres). */
  callerStopsOnSignals?: boolean;
}

/** DATABASE_URL when given; otherwise an embedded PostgreSQL whose data lives in .data/ of the project. */
export async function openDatabase(config: Config, logger: Logger, options: OpenOptions = {}): Promise<OpenDatabase> {
  let url = config.databaseUrl;
  let stopEmbedded: (() => Promise<void>) | undefined;
  if (!url) {
    const clusterDir = options.clusterDir ?? path.join(projectRoot, '.data', 'postgres');
    logger.info({ clusterDir }, 'DATABASE_URL not set: starting the embedded PostgreSQL');
    const server = await startEmbeddedPostgres(clusterDir, { stopsOnSignals: !options.callerStopsOnSignals });
    logger.info({ port: server.port }, 'embedded PostgreSQL is running on 127.0.0.1');
    url = server.url;
    stopEmbedded = server.stop;
  }
  const db = createDb(url, {}, logger);
  try {
    const applied = await migrateWaitingForOthers(db, logger);
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

/**
 * Processes started together (a rolling restart, several services at boot) all migrate: knex lets one
 * hold its migration lock and refuses the others, which wait for it here instead of failing to start.
 */
async function migrateWaitingForOthers(db: Db, logger: Logger): Promise<string[]> {
  for (let waited = 0; ; waited++) {
    try {
      return await migrateToLatest(db);
    } catch (error) {
      if (!(error instanceof Error && /already locked/i.test(error.message)) || waited >= 60) throw error;
      if (waited === 0) logger.info('another process is migrating the database: waiting for it');
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}
