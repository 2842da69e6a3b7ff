import { writeAudit } from '../audit/audit-log.js';
import { looksLikeEmail } from '../members/email.js';
import { findMemberByNumber } from '../members/register.js';
import { setMemberEmail } from '../members/update-email.js';
import { sendLinksForStaff } from '../passwords/send-links-for-staff.js';
import type { ServiceDeps } from '../services.js';
import { associationScope, type StaffPrincipal } from '../staff/principal.js';

export type ResolveOutcome = { kind: 'resolved' } | { kind: 'noMemberNumber' | 'notVisible' | 'noAddress' | 'alreadyResolved' | 'invalidAddress' };

/**
 * One confirmed action: the case's address goes onto the chosen member, a set-password link is
 * sent to it, the case is closed; each step audited. Staff must be able to see both the case and
 * the member.
 */
export async function resolveNotFoundCase(deps: ServiceDeps, staff: StaffPrincipal, caseId: number, memberNumber: string): Promise<ResolveOutcome> {
  const scope = associationScope(staff);
  const found = await deps.db('not_found_cases').where({ id: caseId }).modify((q) => scope !== null && q.where('association_id', scope)).first();
  if (!found) return { kind: 'notVisible' };
  if (found.resolved_at) return { kind: 'alreadyResolved' };
  if (!/^\d{1,12}$/.test(memberNumber.trim())) return { kind: 'noMemberNumber' };
  const member = await findMemberByNumber(deps.db, memberNumber.trim());
  if (!member || (scope !== null && member.associationId !== scope)) return { kind: 'notVisible' };
  const address = String(found.email_to_add ?? found.email_typed ?? '').trim();
  if (!address) return { kind: 'noAddress' };
  if (!looksLikeEmail(address)) return { kind: 'invalidAddress' };

  const closed = await deps.db.transaction(async (trx) => {
    const claimed = await trx('not_found_cases').where({ id: caseId }).whereNull('resolved_at').update({ resolved_at: trx.fn.now(), resolved_by: staff.id, resolved_member_id: member.id });
    if (claimed === 0) return false;
    await setMemberEmail(trx, staff, member.id, address);
    await writeAudit(trx, { actorType: 'staff', actorId: staff.id, action: 'case.resolved', memberId: member.id, details: { caseId } });
    return true;
  });
  if (!closed) return { kind: 'alreadyResolved' };
  await sendLinksForStaff(deps, staff, [member.id]);
  return { kind: 'resolved' };
}
