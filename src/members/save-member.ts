import type { Knex } from 'knex';
import { writeAudit } from '../audit/audit-log.js';
import { revokeOutstandingLinks } from '../passwords/links.js';
import { endMemberSessions } from '../sessions/end-sessions.js';
import type { StaffPrincipal } from '../staff/principal.js';
import { changeMemberEmail, changeMemberPostalAddress, POSTAL_FIELDS, type EmailChange, type PostalField } from './change-email.js';

export type MemberRow = Record<string, unknown> & { id: number; email: string | null; membership_status: string };

export class InvalidMemberEmail extends Error {
  override name = 'InvalidMemberEmail';
}

export class InvalidPostalAddress extends Error {
  override name = 'InvalidPostalAddress';
  constructor(readonly field: PostalField) {
    super(field);
  }
}

/**
 * Staff add a member or change one (the back-office's forms). The values are the columns this staff
 * member may write, already checked against their scope by the caller. The email and the postal
 * address go through their change services (src/members/change-email.ts); the other fields are
 * written and audited old → new here. A membership
 * that ends takes the member's outstanding links and sessions with it.
 */
export async function saveMember(trx: Knex.Transaction, staff: StaffPrincipal, before: MemberRow | null, values: Record<string, unknown>): Promise<{ row: MemberRow; emailChange?: EmailChange }> {
  const { email, ...others } = values;
  const fields = Object.fromEntries(Object.entries(others).filter(([key]) => !(POSTAL_FIELDS as readonly string[]).includes(key)));
  const postal = Object.fromEntries(Object.entries(others).filter(([key]) => (POSTAL_FIELDS as readonly string[]).includes(key)));
  let row: MemberRow;
  if (!before) {
    [row] = await trx('members').insert({ ...fields, email: null }).returning('*');
  } else {
    row = Object.keys(fields).length > 0 ? (await trx('members').where({ id: before.id }).update({ ...fields, updated_at: trx.fn.now() }).returning('*'))[0] : before;
  }
  const changed = Object.keys(fields).filter((key) => String(before?.[key] ?? '') !== String(row[key] ?? ''));
  if (!before || changed.length > 0) {
    await writeAudit(trx, {
      actorType: 'staff',
      actorId: staff.id,
      action: before ? 'member.updated' : 'member.created',
      memberId: row.id,
      details: Object.fromEntries(changed.map((key) => [key, { old: before?.[key] ?? null, new: row[key] ?? null }])),
    });
  }

  let emailChange: EmailChange | undefined;
  if ('email' in values) {
    emailChange = await changeMemberEmail(trx, staff, row.id, typeof email === 'string' ? email : null);
    if (emailChange.kind === 'invalid') throw new InvalidMemberEmail();
    row = await trx('members').where({ id: row.id }).first();
  }
  if (Object.keys(postal).length > 0) {
    const postalChange = await changeMemberPostalAddress(trx, staff, row.id, postal);
    if (postalChange.kind === 'invalid') throw new InvalidPostalAddress(postalChange.field);
    row = await trx('members').where({ id: row.id }).first();
  }
  if (before?.membership_status === 'active' && row.membership_status !== 'active') await closeEndedMembership(trx, staff, row.id);
  return { row, emailChange };
}

/** An ended membership: no link mailed earlier may set a password any more, and no session stays open. */
async function closeEndedMembership(trx: Knex.Transaction, staff: StaffPrincipal, memberId: number) {
  const linksRevoked = await revokeOutstandingLinks(trx, { memberId }, 'account-changed');
  const sessionsEnded = await endMemberSessions(trx, memberId);
  await writeAudit(trx, { actorType: 'staff', actorId: staff.id, action: 'member.membership-ended', memberId, details: { linksRevoked, sessionsEnded } });
}
