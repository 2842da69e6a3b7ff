import { writeAudit } from '../audit/audit-log.js';
import { changeMemberEmail } from '../members/change-email.js';
import { looksLikeEmail } from '../members/email.js';
import { sendLinkNow, type LinkSendOutcome } from '../passwords/send-link-now.js';
import type { ServiceDeps } from '../services.js';
import type { StaffPrincipal } from '../staff/principal.js';
import { restrictToStaff } from '../staff/scope.js';

export type ResolveOutcome =
  | { kind: 'resolved'; memberNumber: string; address: string; otherCasesClosed: number }
  /** Nothing was changed: the link could not be sent, so the address was not added and the case stays open. */
  | { kind: 'linkNotSent'; memberNumber: string; reason: Exclude<LinkSendOutcome, 'queued'> }
  | { kind: 'noMemberNumber' | 'notVisible' | 'noAddress' | 'alreadyResolved' | 'invalidAddress' };

/** Raised inside the transaction to undo everything it did. */
class NothingDone extends Error {
  constructor(readonly outcome: ResolveOutcome) {
    super(outcome.kind);
  }
}

/**
 * One confirmed action: the case's address goes onto the chosen member (through the one email-change
 * service, which also closes the other open cases for the address), a set-password link is queued
 * for it, and the case is closed, all audited, in one transaction. Done or clearly not done: when
 * no link can be sent (membership ended, over the hourly limit, …) nothing changes and staff are
 * told why. Staff must be able to see both the case and the member.
 */
export async function resolveNotFoundCase(deps: ServiceDeps, staff: StaffPrincipal, caseId: number, typedNumber: string): Promise<ResolveOutcome> {
  const memberNumber = typedNumber.trim();
  if (!/^\d{1,12}$/.test(memberNumber)) return { kind: 'noMemberNumber' };
  try {
    return await deps.db.transaction(async (trx) => {
      const found = await restrictToStaff('not_found_cases', trx('not_found_cases as c').where('c.id', caseId), staff, 'c').forUpdate().first('c.*');
      if (!found) return { kind: 'notVisible' } as const;
      if (found.resolved_at) return { kind: 'alreadyResolved' } as const;
      const member = await restrictToStaff('members', trx('members as m').where('m.member_number', memberNumber), staff, 'm').first('m.id');
      if (!member) return { kind: 'notVisible' } as const;
      const address = String(found.email_to_add ?? found.email_typed ?? '').trim();
      if (!address) return { kind: 'noAddress' } as const;
      if (!looksLikeEmail(address)) return { kind: 'invalidAddress' } as const;

      await trx('not_found_cases').where({ id: caseId }).update({ resolved_at: trx.fn.now(), resolved_by: staff.id, resolved_member_id: member.id });
      const change = await changeMemberEmail(trx, staff, member.id, address);
      if (change.kind !== 'saved') throw new NothingDone({ kind: change.kind === 'invalid' ? 'invalidAddress' : 'notVisible' });
      const sent = await sendLinkNow({ ...deps, db: trx }, staff, member.id);
      if (sent !== 'queued') throw new NothingDone({ kind: 'linkNotSent', memberNumber, reason: sent });
      await writeAudit(trx, { actorType: 'staff', actorId: staff.id, action: 'case.resolved', memberId: member.id, details: { caseId, otherCasesClosed: change.casesClosed } });
      return { kind: 'resolved', memberNumber, address, otherCasesClosed: change.casesClosed } as const;
    });
  } catch (error) {
    if (error instanceof NothingDone) return error.outcome;
    throw error;
  }
}
