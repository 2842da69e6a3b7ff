import { writeAudit } from '../audit/audit-log.js';
import type { Db } from '../db/connection.js';
import type { StaffPrincipal } from '../staff/principal.js';
import { restrictToStaff } from '../staff/scope.js';
import { CLOSE_REASONS, type CloseReason } from './close-reasons.js';

export type CloseOutcome = { kind: 'closed' } | { kind: 'noReason' | 'notVisible' | 'alreadyResolved' };

const isCloseReason = (value: unknown): value is CloseReason => (CLOSE_REASONS as readonly unknown[]).includes(value);

/**
 * Closes a case that cannot be resolved: the address is nobody's in the register, the membership has
 * ended, or it was sorted out otherwise. Nothing else changes (no address is added, no mail is sent);
 * the reason is kept on the case and in the audit log. Only a case this staff member may see.
 */
export async function closeNotFoundCase(db: Db, staff: StaffPrincipal, caseId: number, reason: unknown): Promise<CloseOutcome> {
  if (!isCloseReason(reason)) return { kind: 'noReason' };
  return db.transaction(async (trx) => {
    const found = await restrictToStaff('not_found_cases', trx('not_found_cases as c').where('c.id', caseId), staff, 'c').forUpdate().first('c.id', 'c.address', 'c.resolved_at');
    if (!found) return { kind: 'notVisible' } as const;
    if (found.resolved_at) return { kind: 'alreadyResolved' } as const;
    await trx('not_found_cases').where({ id: caseId }).update({ resolved_at: trx.fn.now(), resolved_by: staff.id, closed_reason: reason });
    await writeAudit(trx, { actorType: 'staff', actorId: staff.id, action: 'case.closed', details: { caseId, address: found.address, reason } });
    return { kind: 'closed' } as const;
  });
}

/**
 * The open case to take next after `caseId`: the one waiting longest (the case list's order for open
 * cases), among those this staff member may see. Null when none is left.
 */
export async function nextOpenCase(db: Db, staff: StaffPrincipal, caseId: number): Promise<number | null> {
  const row = await restrictToStaff('not_found_cases', db('not_found_cases as c'), staff, 'c').whereNull('c.resolved_at').whereNot('c.id', caseId).orderBy('c.id').first('c.id');
  return row ? Number(row.id) : null;
}
