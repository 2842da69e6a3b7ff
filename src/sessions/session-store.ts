import connectPgSimple from 'connect-pg-simple';
import session from 'express-session';
import type pg from 'pg';
import type { Db } from '../db/connection.js';

/** How often a session's idle expiry is pushed forward in the database, at most (per session and process). */
export const TOUCH_EVERY_MS = 60_000;
/** Above this many remembered sessions, the ones not touched within TOUCH_EVERY_MS are forgotten. */
const REMEMBERED_AT_MOST = 10_000;

/**
 * Sessions in a PostgreSQL table (connect-pg-simple). Rolling sessions "touch" their row on every
 * request: one UPDATE per page and per back-office API call, most of them moving the expiry by a few
 * seconds. Here a touch is written only when this process has not written the session within the last
 * minute, so the idle timeout holds to within a minute (a session left alone ends 29–30 minutes after
 * its last request) at a fraction of the writes. A change to the session is always saved at once.
 */
export function pgSessionStore(db: Db, tableName: string, touchEveryMs = TOUCH_EVERY_MS): session.Store & Required<Pick<session.Store, 'touch'>> {
  const PgStore = connectPgSimple(session);
  const written = new Map<string, number>();
  const remember = (sid: string, at: number) => {
    written.set(sid, at);
    if (written.size <= REMEMBERED_AT_MOST) return;
    for (const [id, when] of written) if (at - when >= touchEveryMs) written.delete(id);
  };

  class ThrottledTouchStore extends PgStore {
    override touch(sid: string, sess: session.SessionData, callback?: () => void): void {
      const now = Date.now();
      const last = written.get(sid);
      if (last !== undefined && now - last < touchEveryMs) return callback?.();
      remember(sid, now);
      super.touch(sid, sess, callback);
    }

    override set(sid: string, sess: session.SessionData, callback?: (error?: unknown) => void): void {
      remember(sid, Date.now());
      super.set(sid, sess, callback);
    }

    override destroy(sid: string, callback?: (error?: unknown) => void): void {
      written.delete(sid);
      super.destroy(sid, callback);
    }
  }
  return new ThrottledTouchStore({ pool: knexBackedPool(db), tableName, createTableIfMissing: false, pruneSessionInterval: false });
}

/** connect-pg-simple needs only pool.query(text, params): lend it connections from the knex pool. */
export function knexBackedPool(db: Db): pg.Pool {
  const query = async (text: string, params?: unknown[]) => {
    const connection = await db.client.acquireConnection();
    try {
      return await connection.query(text, params);
    } finally {
      await db.client.releaseConnection(connection);
    }
  };
  return { query } as unknown as pg.Pool;
}
