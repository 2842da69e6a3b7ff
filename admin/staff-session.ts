import connectPgSimple from 'connect-pg-simple';
import session from 'express-session';
import type { RequestHandler } from 'express';
import type { Config } from '../src/config.js';
import type { Db } from '../src/db/connection.js';
import { knexBackedPool } from '../src/sessions/member-session.js';

export const STAFF_IDLE_MS = 30 * 60 * 1000;
export const staffCookieName = (config: Pick<Config, 'secureCookies'>) => (config.secureCookies ? '__Host-asiointi-admin' : 'asiointi-admin');

/**
 * Staff sessions: their own cookie (SameSite=Strict, so no other site can make a staff member's
 * browser act in the back-office), their own table, 30 minutes idle. AdminJS's router sees
 * req.session already in place and uses it.
 */
export function staffSessionOptions(config: Config, secret: string, db: Db): session.SessionOptions {
  const PgStore = connectPgSimple(session);
  return {
    name: staffCookieName(config),
    secret,
    store: new PgStore({ pool: knexBackedPool(db), tableName: 'staff_sessions', createTableIfMissing: false, pruneSessionInterval: false }),
    resave: false,
    saveUninitialized: false,
    rolling: true,
    unset: 'destroy',
    cookie: { httpOnly: true, sameSite: 'strict', secure: config.secureCookies, path: '/', maxAge: STAFF_IDLE_MS },
  };
}

export function staffSessions(options: session.SessionOptions): RequestHandler {
  return session(options);
}
