import { writeAudit } from '../audit/audit-log.js';
import type { Db } from '../db/connection.js';
import { inTransaction } from '../db/connection.js';
import type { StaffPrincipal } from '../staff/principal.js';
import { looksLikeEmail, normaliseEmail } from './email.js';
import { fullName } from './register.js';
import { visibleMembers } from './visibility.js';

export type EmailChange =
  | { kind: 'saved'; sharedWith: Array<{ memberNumber: string; name: string }> }
  | { kind: 'invalid' }
  | { kind: 'notFound' };

/**
 * Staff correct or add a member's email. The address is stored as typed (trimmed); when another
 * member already has it, the answer names them (a shared household address is allowed).
 */
export async function setMemberEmail(db: Db, staff: StaffPrincipal, memberId: number, typed: string | null): Promise<EmailChange> {
  const email = typed === null || typed.trim() === '' ? null : typed.trim();
  if (email !== null && !looksLikeEmail(email)) return { kind: 'invalid' };
  return inTransaction(db, async (trx) => {
    const [member] = await visibleMembers(trx, staff, [memberId]);
    if (!member) return { kind: 'notFound' } as const;
    if (member.email !== email) {
      await trx('members').where({ id: memberId }).update({ email, updated_at: trx.fn.now() });
      await writeAudit(trx, { actorType: 'staff', actorId: staff.id, action: 'member.email-changed', memberId, details: { old: member.email, new: email } });
    }
    return { kind: 'saved', sharedWith: email ? await othersWithEmail(trx, email, memberId) : [] } as const;
  });
}

export async function othersWithEmail(db: Db, email: string, exceptMemberId: number) {
  const rows = await db('members').whereRaw('lower(email) = ?', [normaliseEmail(email)]).whereNot({ id: exceptMemberId }).orderBy('member_number').select('member_number', 'first_name', 'last_name');
  return rows.map((r) => ({ memberNumber: r.member_number as string, name: fullName({ firstName: r.first_name, lastName: r.last_name }) }));
}
