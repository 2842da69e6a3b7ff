import { staffAccounts } from '../passwords/account-kinds.js';
import type { AuditEntry } from '../audit/audit-log.js';
import { checkLogin, type LockCause } from '../passwords/login.js';
import type { ServiceDeps } from '../services.js';
import type { StaffPrincipal } from './principal.js';
import { secondFactorStep, type SecondFactorStep } from './second-factor.js';

export type StaffLoginOutcome =
  /** `audit`: the login's row, for the session it starts to be saved with. */
  | { kind: 'ok'; staff: StaffPrincipal; secondFactor: SecondFactorStep; audit: AuditEntry }
  | { kind: 'invalid' }
  | { kind: 'locked'; retryAfterMs: number; cause: LockCause };

/**
 * Staff login: the shared password check (one answer for an unknown address, a wrong password and
 * a deactivated account), then what the second factor asks of this staff member: nothing, a code,
 * or enrolling first. Only 'none' is a finished login.
 */
export async function authenticateStaff(deps: ServiceDeps, input: { email: string; password: string; clientKey: string }): Promise<StaffLoginOutcome> {
  const result = await checkLogin(deps, staffAccounts, { identifier: input.email, password: input.password, clientKey: input.clientKey });
  if (result.kind !== 'ok') return result;
  return { kind: 'ok', staff: result.account, secondFactor: await secondFactorStep(deps, result.account.id), audit: result.audit };
}
