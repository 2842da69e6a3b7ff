import { checkLogin, type AccountKind, type LockCause } from '../passwords/login.js';
import type { ServiceDeps } from '../services.js';
import type { StaffPrincipal } from './principal.js';

export type StaffLoginOutcome = { kind: 'ok'; staff: StaffPrincipal } | { kind: 'invalid' } | { kind: 'locked'; retryAfterMs: number; cause: LockCause };

const normaliseEmail = (email: string) => email.trim().toLowerCase().slice(0, 254);

/** Staff login counters are keyed by the address, apart from the members' numeric keys. */
export function staffThrottleKey(email: string): string {
  return `staff:${normaliseEmail(email)}`;
}

/**
 * Staff accounts for the shared login check (src/passwords/login.ts): the same hashing, counters and
 * limits as members, keyed by the address. Staff get no trusted-device cookie and so no exemption
 * from the per-address limit: their login is separate (its own session and cookie) and stricter, and
 * the few staff behind one address can wait out a block where a whole care home of members cannot.
 */
export const staffAccounts: AccountKind<StaffPrincipal> = {
  throttleKey: staffThrottleKey,
  async find(db, identifier) {
    const email = normaliseEmail(identifier);
    if (!email) return undefined;
    const row = await db('staff_users as s')
      .leftJoin('staff_credentials as c', 'c.staff_user_id', 's.id')
      .whereRaw('lower(s.email) = ?', [email])
      .first('s.id', 's.email', 's.name', 's.role', 's.association_id', 's.active', 'c.password_hash');
    if (!row) return undefined;
    const staff: StaffPrincipal = { id: row.id, email: row.email, name: row.name, role: row.role, associationId: row.association_id };
    return { account: staff, active: Boolean(row.active), passwordHash: row.password_hash ?? null };
  },
};

/** One answer for an unknown address, a wrong password and a deactivated account. */
export async function authenticateStaff(deps: ServiceDeps, input: { email: string; password: string; clientKey: string }): Promise<StaffLoginOutcome> {
  const result = await checkLogin(deps, staffAccounts, { identifier: input.email, password: input.password, clientKey: input.clientKey });
  return result.kind === 'ok' ? { kind: 'ok', staff: result.account } : result;
}
