import { writeAudit } from '../audit/audit-log.js';
import type { Db } from '../db/connection.js';
import type { ServiceDeps } from '../services.js';
import { endStaffSessions } from '../sessions/end-sessions.js';
import type { StaffPrincipal } from './principal.js';
import { clearWrongCodes } from './second-factor-throttle.js';

export type SecondFactorReset = { kind: 'reset'; sessionsEnded: number } | { kind: NoReset };
type NoReset = 'notEnrolled' | 'ownFactor';

/**
 * Why a staff member's second factor cannot be reset by this actor, or undefined when it can. Not
 * one's own: someone holding a federation session must not be able to swap its factor for theirs.
 */
export async function whyNoReset(db: Db, actor: StaffPrincipal, staffUserId: number): Promise<NoReset | undefined> {
  if (actor.role !== 'federation') throw new Error('only federation member services reset a second factor');
  if (actor.id === staffUserId) return 'ownFactor';
  const enrolled = await db('staff_second_factors').where({ staff_user_id: staffUserId }).whereNotNull('enrolled_at').first('staff_user_id');
  return enrolled ? undefined : 'notEnrolled';
}

/**
 * A staff member lost their phone (or their recovery codes): federation member services remove
 * their second factor. In one transaction: the secret and recovery codes go, every session of the
 * staff member ends (also one waiting for its code), and the reset is audited. The wrong-code
 * limits are lifted. At their next login they enrol again (or, with STAFF_MFA=optional, may).
 */
export async function resetSecondFactor(deps: ServiceDeps, actor: StaffPrincipal, staffUserId: number): Promise<SecondFactorReset> {
  const outcome = await deps.db.transaction(async (trx): Promise<SecondFactorReset> => {
    const refusal = await whyNoReset(trx, actor, staffUserId);
    if (refusal) return { kind: refusal };
    await trx('staff_second_factors').where({ staff_user_id: staffUserId }).delete();
    await trx('staff_recovery_codes').where({ staff_user_id: staffUserId }).delete();
    const sessionsEnded = (await endStaffSessions(trx, staffUserId)) + (await endPendingSignIns(trx, staffUserId));
    await writeAudit(trx, { actorType: 'staff', actorId: actor.id, action: 'staff.second-factor-reset', details: { staffUserId, sessionsEnded } });
    return { kind: 'reset', sessionsEnded };
  });
  if (outcome.kind === 'reset') await clearWrongCodes(deps.db, staffUserId);
  return outcome;
}

/**
 * Sessions that passed the password and wait for the second factor (admin/second-factor-routes.ts
 * keeps them under `pendingStaff`; they carry no adminUser, so endStaffSessions leaves them).
 */
export function endPendingSignIns(db: Db, staffUserId: number): Promise<number> {
  return db('staff_sessions').whereRaw(`(sess->'pendingStaff'->>'id')::int = ?`, [staffUserId]).delete();
}
