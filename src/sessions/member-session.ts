import type { NextFunction, Request, RequestHandler, Response } from 'express';
import session from 'express-session';
import type { Config } from '../config.js';
import type { AuditEntry } from '../audit/audit-log.js';
import type { Db } from '../db/connection.js';
import { pgSessionStore, renewSessionId, saveSession } from './session-store.js';

declare module 'express-session' {
  interface SessionData {
    memberId?: number;
    /** When the member logged in (ms); sessions end 12 hours after that whatever the activity. */
    loggedInAt?: number;
  }
}

export const SESSION_IDLE_MS = 30 * 60 * 1000;
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60 * 1000;

export const memberSessionCookieName = (config: Pick<Config, 'secureCookies'>) => (config.secureCookies ? '__Host-asiointi' : 'asiointi');

/**
 * Member sessions in PostgreSQL (connect-pg-simple, table member_sessions). The cookie expires
 * 30 minutes after the last request (rolling; the row's expiry follows within a minute, see
 * session-store.ts); with https it is Secure and named __Host-. Expired rows are removed by the maintenance task.
 */
export function memberSessions(config: Config, sessionSecret: string, db: Db): RequestHandler {
  const store = pgSessionStore(db, 'member_sessions');
  const name = memberSessionCookieName(config);
  const sessions = session({
    name,
    secret: sessionSecret,
    store,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    unset: 'destroy',
    cookie: { httpOnly: true, sameSite: 'lax', secure: config.secureCookies, path: '/', maxAge: SESSION_IDLE_MS },
  });
  // A page read by a visitor without our cookie has no session to load and would store none
  // (saveUninitialized: false), yet express-session would still make one up for it: a random id,
  // hashed twice to see whether it changed. Such a request gets no req.session; a form post always
  // gets one, since logging in is what starts a session.
  return (req, res, next) => (hasSessionCookie(req, name) || !READ_ONLY.has(req.method) ? sessions(req, res, next) : next());
}

const READ_ONLY = new Set(['GET', 'HEAD']);

/** Whether the request may carry the session cookie; a false yes only costs the session middleware's work. */
function hasSessionCookie(req: Request, name: string): boolean {
  return req.headers.cookie?.includes(`${name}=`) ?? false;
}

/** The logged-in member of this request, if any: a page read without a session cookie has no req.session at all. */
export function loggedInMemberId(req: Request): number | undefined {
  return (req.session as Partial<typeof req.session> | undefined)?.memberId;
}

/** Ends a logged-in session that has lasted 12 hours, however active it was: a fresh, empty one replaces it. */
export function absoluteTimeout(req: Request, _res: Response, next: NextFunction) {
  const started = req.session?.loggedInAt;
  if (req.session && started && Date.now() - started > SESSION_ABSOLUTE_MS) {
    req.session.regenerate((error) => next(error));
    return;
  }
  next();
}

/**
 * A fresh session id at login (session-store.ts), saved with the login's audit row before any answer:
 * the next request may come the moment the page arrives.
 */
export async function startMemberSession(req: Request, memberId: number, audit: AuditEntry): Promise<void> {
  await renewSessionId(req);
  req.session.memberId = memberId;
  req.session.loggedInAt = Date.now();
  await saveSession(req, audit);
}

export function endSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.destroy((error) => (error ? reject(error) : resolve())));
}
