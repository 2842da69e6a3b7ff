import connectPgSimple from 'connect-pg-simple';
import type { Request } from 'express';
import session from 'express-session';
import type pg from 'pg';
import { auditInsert, type AuditEntry } from '../audit/audit-log.js';
import { prepared, statementName, type Db } from '../db/connection.js';
import { RecentWrites } from './recent-writes.js';

/** How often a session's idle expiry is pushed forward in the database, at most (per session and process). */
export const TOUCH_EVERY_MS = 60_000;
/** The touch throttle remembers at most twice this many sessions (about 2 MB); a flood past it gets its touches early. */
const REMEMBERED_AT_MOST = 10_000;
/** The sessions of this process's requests that were read from a store (the others began in their request). */
const readFromStore = new WeakSet<object>();
/** A session's next save also writes this audit row, in the same statement (saveSession). */
const auditWithSave = new WeakMap<object, AuditEntry>();

/**
 * A new session id at login, so that an id fixed before it is worth nothing after it. A session read
 * from the store gets a new id (and loses what it held); one that began in this very request already
 * has a new id, made here and never sent to anyone (a session is stored, and its cookie sent, only
 * once something is put in it), so it is kept: regenerating it would delete a row that does not
 * exist and save the session twice, three writes on every login of a visitor who had none.
 */
export function renewSessionId(req: Request): Promise<void> {
  if (!readFromStore.has(req.session)) return Promise.resolve();
  return new Promise((resolve, reject) => req.session.regenerate((error) => (error ? reject(error) : resolve())));
}

/**
 * Saved before the answer is sent: the next request may come the moment the page arrives. With
 * `audit`, the row is written in the same statement as the session (a login's 'login.succeeded'):
 * both are stored or neither, and the login costs one round trip fewer.
 */
export function saveSession(req: Request, audit?: AuditEntry): Promise<void> {
  if (audit) auditWithSave.set(req.session, audit);
  return new Promise((resolve, reject) => req.session.save((error) => (error ? reject(error) : resolve())));
}

/**
 * Sessions in a PostgreSQL table (connect-pg-simple). Rolling sessions "touch" their row on every
 * request: one UPDATE per page and per back-office API call, most of them moving the expiry by a few
 * seconds. Here a touch is written only when this process has not written the session within the last
 * minute, so the idle timeout holds to within a minute (a session left alone ends 29–30 minutes after
 * its last request) at a fraction of the writes. A change to the session is always saved at once.
 */
export function pgSessionStore(db: Db, tableName: string, options: { touchEveryMs?: number; read?: SessionRead } = {}): session.Store & Required<Pick<session.Store, 'touch'>> {
  const PgStore = connectPgSimple(session);
  const written = new RecentWrites(options.touchEveryMs ?? TOUCH_EVERY_MS, REMEMBERED_AT_MOST);
  const pool = knexBackedPool(db);
  const read = options.read;

  class ThrottledTouchStore extends PgStore {
    // express-session builds every session it read from the store here, and only those.
    override createSession(req: Request, data: session.SessionData): session.Session & session.SessionData {
      const created = super.createSession(req, data);
      readFromStore.add(created);
      return created;
    }

    override get(sid: string, callback: (error: unknown, session?: session.SessionData | null) => void): void {
      if (!read) return super.get(sid, callback);
      pool.query(read.text, [sid, Math.ceil(Date.now() / 1000)]).then(
        ({ rows: [row] }) => {
          if (!row) return callback(null, null);
          const sess = read.use(row);
          if (sess) return callback(null, sess);
          this.destroy(sid, (error) => callback(error ?? null, null));
        },
        (error: unknown) => callback(error),
      );
    }

    override touch(sid: string, sess: session.SessionData, callback?: () => void): void {
      const now = Date.now();
      if (written.isRecent(sid, now)) return callback?.();
      written.record(sid, now);
      super.touch(sid, sess, callback);
    }

    override set(sid: string, sess: session.SessionData, callback?: (error?: unknown) => void): void {
      written.record(sid, Date.now());
      const audit = auditWithSave.get(sess);
      if (!audit) return super.set(sid, sess, callback);
      auditWithSave.delete(sess);
      saveWithAudit(db, tableName, sid, sess, audit).then(() => callback?.(), (error: unknown) => callback?.(error));
    }

    override destroy(sid: string, callback?: (error?: unknown) => void): void {
      written.forget(sid);
      super.destroy(sid, callback);
    }
  }
  return new ThrottledTouchStore({ pool, tableName, createTableIfMissing: false, pruneSessionInterval: false });
}

/**
 * A session read of one's own in place of connect-pg-simple's, for what is read with the session in the
 * same statement. `text` answers the row of the unexpired session ($1 its id, $2 now in seconds since
 * 1970, as connect-pg-simple's read) with its `sess`; `use` gives the session to use, or undefined when
 * the session is to end (it is deleted, and the request goes on without one).
 */
export interface SessionRead {
  text: string;
  use(row: Record<string, unknown>): session.SessionData | undefined;
}

/**
 * connect-pg-simple's save (its set: the session as JSON, its expiry from the cookie) with an audit
 * row in a data-modifying WITH, which PostgreSQL runs to completion whether or not the INSERT reads it.
 * test/integration/session-store.test.ts holds the row equal to the one connect-pg-simple writes.
 */
async function saveWithAudit(db: Db, tableName: string, sid: string, sess: session.SessionData, audit: AuditEntry): Promise<void> {
  await prepared(
    `session-save-with-audit-${tableName}`,
    db.raw(
      `WITH audit AS (?) INSERT INTO ?? (sess, expire, sid) VALUES (?::json, to_timestamp(?), ?)
       ON CONFLICT (sid) DO UPDATE SET sess = EXCLUDED.sess, expire = EXCLUDED.expire`,
      [auditInsert(db, [audit]), tableName, JSON.stringify(sess), expireOf(sess), sid],
    ),
  );
}

/** Seconds since 1970 the session expires at, as connect-pg-simple reckons it (its ttl is never set here: one day). */
function expireOf(sess: session.SessionData): number {
  const expires = sess.cookie?.expires;
  return expires ? Math.ceil(new Date(expires).valueOf() / 1000) : Math.ceil(Date.now() / 1000 + 24 * 60 * 60);
}

/**
 * connect-pg-simple needs only pool.query(text, params): lend it connections from the knex pool. Its
 * few statements (read, save, touch, end; one text each per table) run on every request with a
 * session, so each is prepared once per connection (see prepared() in src/db/connection.ts).
 */
export function knexBackedPool(db: Db): pg.Pool {
  const names = new Map<string, string>();
  const nameOf = (text: string) => {
    let name = names.get(text);
    if (!name) names.set(text, (name = statementName('session', text)));
    return name;
  };
  const query = async (text: string, params?: unknown[]) => {
    const connection = await db.client.acquireConnection();
    try {
      return await connection.query({ name: nameOf(text), text, values: params });
    } finally {
      await db.client.releaseConnection(connection);
    }
  };
  return { query } as unknown as pg.Pool;
}
