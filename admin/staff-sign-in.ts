import type { Request } from 'express';
import type { AuditEntry } from '../src/audit/audit-log.js';
import type { Db } from '../src/db/connection.js';
import { renewSessionId, saveSession } from '../src/sessions/session-store.js';
import { findActiveStaff, type StaffPrincipal } from '../src/staff/principal.js';

/** What the second factor still asks after the password: the code from the app, or enrolling first. */
export type PendingStep = 'code' | 'enrol';

declare module 'express-session' {
  interface SessionData {
    adminUser?: unknown;
    /**
     * The password was right and the second factor is still to come. This is not a login: without
     * adminUser AdminJS, its API and every back-office page send the browser to the login page.
     * src/staff/second-factor-reset.ts ends these sessions by this key.
     */
    pendingStaff?: { id: number; since: number; step: PendingStep };
  }
}

/**
 * Between the password and the code: time to find the phone, or to type a secret into an app with
 * a screen reader (as long as the idle timeout), and no longer, since the password alone got here.
 */
export const PENDING_SIGN_IN_MS = 30 * 60 * 1000;

/** After the password: a new session id, marked as waiting for the second factor, saved with the password login's audit row. */
export async function startPendingSignIn(req: Request, staffUserId: number, step: PendingStep, audit: AuditEntry): Promise<void> {
  await renewSessionId(req);
  req.session.pendingStaff = { id: staffUserId, since: Date.now(), step };
  await saveSession(req, audit);
}

/** The staff member this session waits a second factor from, when it waits for this step, is recent and the account active. */
export async function pendingStaff(req: Request, db: Db, step: PendingStep): Promise<StaffPrincipal | undefined> {
  const pending = req.session.pendingStaff;
  if (!pending || pending.step !== step || !(Date.now() - pending.since < PENDING_SIGN_IN_MS)) return undefined;
  return findActiveStaff(db, pending.id);
}

/**
 * The login is complete: a new session id (nothing of the waiting session carries over), saved before
 * any answer, with `audit` when given (the password login's row, when no second factor follows).
 */
export async function signIn(req: Request, staff: StaffPrincipal, audit?: AuditEntry): Promise<void> {
  await renewSessionId(req);
  req.session.adminUser = staff;
  req.session.staffLoggedInAt = Date.now();
  await saveSession(req, audit);
}
