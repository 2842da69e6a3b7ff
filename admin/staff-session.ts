import session from 'express-session';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Config } from '../src/config.js';
import type { Db } from '../src/db/connection.js';
import { pgSessionStore, type SessionRead } from '../src/sessions/session-store.js';
import { activeStaffQuery, principalFromRow } from '../src/staff/principal.js';

export const STAFF_IDLE_MS = 30 * 60 * 1000;
/** However active, a staff session ends this long after login (members': 12 h, src/sessions/member-session.ts). */
export const STAFF_ABSOLUTE_MS = 8 * 60 * 60 * 1000;
export const staffCookieName = (config: Pick<Config, 'secureCookies'>) => (config.secureCookies ? '__Host-asiointi-admin' : 'asiointi-admin');

declare module 'express-session' {
  interface SessionData {
    /** When the staff member logged in (ms); the session ends STAFF_ABSOLUTE_MS after it. */
    staffLoggedInAt?: number;
  }
}

/** How the staff cookie is set, and so also how logout clears it (a __Host- cookie needs Secure to be cleared). */
export function staffCookieOptions(config: Pick<Config, 'secureCookies'>) {
  return { httpOnly: true, sameSite: 'strict' as const, secure: config.secureCookies, path: '/' };
}

/**
 * Staff sessions: their own cookie (SameSite=Strict, so no other site can make a staff member's
 * browser act in the back-office), their own table, 30 minutes idle and 8 hours at most.
 * AdminJS's router sees req.session already in place and uses it.
 */
export function staffSessionOptions(config: Config, secret: string, db: Db): session.SessionOptions {
  return {
    name: staffCookieName(config),
    secret,
    // Touched at most once a minute per session (src/sessions/session-store.ts): not one write per API call.
    store: pgSessionStore(db, 'staff_sessions', { read: staffSessionRead(db) }),
    resave: false,
    saveUninitialized: false,
    rolling: true,
    unset: 'destroy',
    cookie: { ...staffCookieOptions(config), maxAge: STAFF_IDLE_MS },
  };
}

/**
 * A staff session is read with its staff member as the register has them now, in one statement:
 * every back-office request sees a deactivated account as logged out (its session ends) and a changed
 * role or association at once, without a read of its own. A session of nobody logged in is as stored.
 */
function staffSessionRead(db: Db): SessionRead {
  const sessionStaffId = db.raw(`CASE WHEN s.sess->'adminUser'->>'id' ~ '^[0-9]{1,9}$' THEN (s.sess->'adminUser'->>'id')::int END`);
  const query = db('staff_sessions as s')
    .leftJoin(activeStaffQuery(db).as('u'), 'u.id', sessionStaffId)
    .where('s.sid', '')
    .where('s.expire', '>=', db.raw('to_timestamp(?)', [0]))
    .select('s.sess', 'u.id', 'u.email', 'u.name', 'u.role', 'u.association_id');
  return {
    // $1 the session id, $2 now: the two values the query was built with, in that order.
    text: query.toSQL().toNative().sql,
    use(row) {
      const sess = row.sess as session.SessionData;
      if (!sess.adminUser) return sess;
      const staff = row.id === null ? undefined : principalFromRow(row as Parameters<typeof principalFromRow>[0]);
      return staff ? { ...sess, adminUser: staff as never } : undefined;
    },
  };
}

export function staffSessions(options: session.SessionOptions): RequestHandler {
  return session(options);
}

/**
 * Ends a staff session 8 hours after login, however active it was: a fresh, empty session takes
 * its place, so the next page is the login. A logged-in session without a login time (made before
 * this rule) ends too.
 */
export function staffAbsoluteTimeout(req: Request, _res: Response, next: NextFunction) {
  const session = req.session;
  if (!session?.adminUser) return next();
  const started = session.staffLoggedInAt;
  if (typeof started === 'number' && Date.now() - started < STAFF_ABSOLUTE_MS) return next();
  session.regenerate((error) => next(error));
}
