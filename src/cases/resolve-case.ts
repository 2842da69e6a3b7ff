import { writeAudit } from '../audit/audit-log.js';
import { changeMemberEmail } from '../members/change-email.js';
import { suggestMembersForCase } from './member-choices.js';
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

/** The member staff chose: from the suggestions or the search (by id), or by typing the number. */
export type MemberChosen = { memberId: number } | { memberNumber: string };

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
export async function resolveNotFoundCase(deps: ServiceDeps, staff: StaffPrincipal, caseId: number, chosen: MemberChosen): Promise<ResolveOutcome> {
  const byId = 'memberId' in chosen && Number.isSafeInteger(chosen.memberId);
  const typedNumber = 'memberNumber' in chosen ? chosen.memberNumber.trim() : '';
  if (!byId && !/^\d{1,12}$/.test(typedNumber)) return { kind: 'noMemberNumber' };
  try {
    return await deps.db.transaction(async (trx) => {
      const found = await restrictToStaff('not_found_cases', trx('not_found_cases as c').where('c.id', caseId), staff, 'c').forUpdate().first('c.*');
      if (!found) return { kind: 'notVisible' } as const;
      if (found.resolved_at) return { kind: 'alreadyResolved' } as const;
      const member = await restrictToStaff('members', trx('members as m'), staff, 'm')
        .where(byId ? { 'm.id': (chosen as { memberId: number }).memberId } : { 'm.member_number': typedNumber })
        .first('m.id', 'm.member_number');
      if (!member) return { kind: 'notVisible' } as const;
      const memberNumber: string = member.member_number;
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

/** What the resolve form shows: the case, and the members to suggest (only what this staff member may see). */
export async function caseForResolving(deps: ServiceDeps, staff: StaffPrincipal, caseId: number) {
  const found = await restrictToStaff('not_found_cases', deps.db('not_found_cases as c').where('c.id', caseId), staff, 'c').first('c.*');
  if (!found) return undefined;
  return { found, suggestions: found.resolved_at ? [] : await suggestMembersForCase(deps.db, staff, found) };
}
