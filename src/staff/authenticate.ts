import { staffAccounts } from '../passwords/account-kinds.js';
import { checkLogin, type LockCause } from '../passwords/login.js';
import type { ServiceDeps } from '../services.js';
import type { StaffPrincipal } from './principal.js';

export type StaffLoginOutcome = { kind: 'ok'; staff: StaffPrincipal } | { kind: 'invalid' } | { kind: 'locked'; retryAfterMs: number; cause: LockCause };

/** Staff login: the shared check; one answer for an unknown address, a wrong password and a deactivated account. */
export async function authenticateStaff(deps: ServiceDeps, input: { email: string; password: string; clientKey: string }): Promise<StaffLoginOutcome> {
  const result = await checkLogin(deps, staffAccounts, { identifier: input.email, password: input.password, clientKey: input.clientKey });
  return result.kind === 'ok' ? { kind: 'ok', staff: result.account } : result;
}
