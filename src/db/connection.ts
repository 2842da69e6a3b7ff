import { createHash } from 'node:crypto';
import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import { migrationSource } from './migrations/index.js';

export type Db = Knex;

// COUNT(*) and BIGINT come back from pg as strings; our counts fit in a JS number.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

/**
 * When the database is away, a request must fail fast (the app answers 503 and says to try again)
 * rather than hang: connecting gives up after this, and so does waiting for a pooled connection.
 */
export const DATABASE_WAIT_MS = 1500;

/** knex writes its own warnings (a connection lost, a connection that could not be made) to the console unless given a logger. */
export interface DbLogger {
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

export function createDb(url: string, pool: { min?: number; max?: number } = {}, logger?: DbLogger): Db {
  const log = logger && {
    warn: (message: unknown) => logger.warn({ detail: String(message) }, 'database connection problem'),
    error: (message: unknown) => logger.error({ detail: String(message) }, 'database client error'),
    deprecate: () => undefined,
    debug: () => undefined,
  };
  const db = knexFactory({
    client: 'pg',
    ...(log ? { log } : {}),
    // A failed statement's message names the statement with its placeholders, never its values (an
    // address, a hash): the message reaches logs and, as a reason, staff.
    compileSqlOnError: false,
    // keepAlive: a connection whose server vanished without closing it is noticed, not kept forever.
    connection: { connectionString: url, application_name: 'asiointipalvelu', connectionTimeoutMillis: DATABASE_WAIT_MS, keepAlive: true },
    pool: { min: pool.min ?? 0, max: pool.max ?? 10 },
    acquireConnectionTimeout: DATABASE_WAIT_MS,
    migrations: { migrationSource, tableName: 'knex_migrations' },
  });
  db.on('query-error', (error: unknown, query: { sql?: string }) => {
    const prefix = `${query?.sql} - `;
    if (error instanceof Error && error.message.startsWith(prefix)) (error as DatabaseReason).databaseReason = error.message.slice(prefix.length);
  });
  return db;
}

type DatabaseReason = Error & { databaseReason?: string };

/**
 * Why something failed, in words staff can be shown: for a failed statement PostgreSQL's own message
 * without the statement knex puts before it (a transaction's statements included: knex passes their
 * errors to the instance's listeners too).
 */
export function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return (error as DatabaseReason).databaseReason ?? error.message;
}

export async function migrateToLatest(db: Db): Promise<string[]> {
  const [, applied] = (await db.migrate.latest()) as [number, string[]];
  return applied;
}

export async function migrateDownAll(db: Db): Promise<void> {
  await db.migrate.rollback(undefined, true);
}

/**
 * A FROM item that commits the statement's own transaction without waiting for the disk (PostgreSQL's
 * synchronous_commit off, for that transaction alone: set_config's third argument). For a statement
 * whose write is not worth the wait, a throttle's counter: a flush costs ≈ 1 ms on this machine and
 * several at the tail. A crash may lose the last such writes, never break anything, and the next commit
 * that waits for the disk takes them with it (the log is written in order). Only in a statement of its
 * own: inside a transaction it would let the whole transaction's commit go without waiting.
 */
export const COMMIT_WITHOUT_WAITING = "(SELECT set_config('synchronous_commit', 'off', true)) AS commit_without_waiting";

/**
 * A statement PostgreSQL plans once per connection and then reuses (a named prepared statement), for
 * the few that run on every login, order or back-office request, where planning was most of their cost (the
 * login's member lookup: 0.33 ms a run, 0.06 ms prepared). Only for a statement whose text never
 * changes, its values all parameters: pg refuses one name for two texts. (A pooler that hands a
 * session's statements to other server connections, like PgBouncer in transaction mode, would need
 * this off; the service connects to PostgreSQL itself.)
 */
export function prepared<Q extends Knex.QueryBuilder | Knex.Raw>(name: string, query: Q): Q {
  return query.options({ name }) as Q;
}

/**
 * prepared() for a statement built in several shapes, its values always parameters (a back-office list:
 * its filters, its sort): named by its text, so that each shape is planned once per connection.
 */
export function preparedByText<Q extends Knex.QueryBuilder | Knex.Raw>(query: Q): Q {
  return prepared(statementName('q', query.toSQL().sql), query);
}

/** A prepared statement's name made from its text (pg refuses one name for two texts). */
export function statementName(prefix: string, text: string): string {
  return `${prefix}-${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
}

/** Runs fn inside the caller's transaction when given one, else in a new transaction. */
export function inTransaction<T>(db: Db, fn: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db as Knex.Transaction) : db.transaction(fn);
}

export async function isDatabaseReachable(db: Db): Promise<boolean> {
  try {
    await db.raw('select 1');
    return true;
  } catch {
    return false;
  }
}
