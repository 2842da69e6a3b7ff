import { verifyAgainstDummy, verifyPassword } from '../passwords/hashing.js';
import { blockedFor, consumeOrWait } from '../passwords/throttles.js';
import type { ServiceDeps } from '../services.js';
import type { StaffPrincipal } from './principal.js';

export type StaffLoginOutcome = { kind: 'ok'; staff: StaffPrincipal } | { kind: 'invalid' } | { kind: 'locked'; retryAfterMs: number };

/** Staff login counters are keyed by the address, apart from the members' numeric keys. */
export function staffThrottleKey(email: string): string {
  return `staff:${email.trim().toLowerCase().slice(0, 254)}`;
}

/**
 * Staff log in with email and password: the same hashing, the same counters and limits as members
 * (keyed by the address), one answer for an unknown address, a wrong password and a deactivated account.
 */
export async function authenticateStaff(deps: ServiceDeps, input: { email: string; password: string; clientKey: string }): Promise<StaffLoginOutcome> {
  const { throttles } = deps;
  const email = input.email.trim().toLowerCase().slice(0, 254);
  const key = staffThrottleKey(email);
  const wait = Math.max(await blockedFor(throttles.loginLock, key), await blockedFor(throttles.loginSlowdown, key), await blockedFor(throttles.loginPerClient, input.clientKey));
  if (wait > 0) return { kind: 'locked', retryAfterMs: wait };

  const row = email
    ? await deps.db('staff_users as s')
        .leftJoin('staff_credentials as c', 'c.staff_user_id', 's.id')
        .whereRaw('lower(s.email) = ?', [email])
        .first('s.id', 's.email', 's.name', 's.role', 's.association_id', 's.active', 'c.password_hash')
    : undefined;
  const matches = row?.password_hash ? await verifyPassword(input.password, row.password_hash) : await verifyAgainstDummy(input.password, deps.config.bcryptCost);
  if (row && matches && row.active) {
    await Promise.all([throttles.loginSlowdown.delete(key), throttles.loginLock.delete(key)]);
    return { kind: 'ok', staff: { id: row.id, email: row.email, name: row.name, role: row.role, associationId: row.association_id } };
  }
  const waits = await Promise.all([consumeOrWait(throttles.loginLock, key), consumeOrWait(throttles.loginSlowdown, key), consumeOrWait(throttles.loginPerClient, input.clientKey)]);
  const lockedFor = Math.max(...waits);
  return lockedFor > 0 ? { kind: 'locked', retryAfterMs: lockedFor } : { kind: 'invalid' };
}

/** Is this staff member still active, with the same role and association as at login? */
export async function refreshStaff(deps: ServiceDeps, staff: StaffPrincipal): Promise<StaffPrincipal | undefined> {
  const row = await deps.db('staff_users').where({ id: staff.id, active: true }).first('id', 'email', 'name', 'role', 'association_id');
  if (!row) return undefined;
  return { id: row.id, email: row.email, name: row.name, role: row.role, associationId: row.association_id };
}
