import type { Knex } from 'knex';
import { writeAudit } from '../audit/audit-log.js';
import type { Db } from '../db/connection.js';
import { inTransaction } from '../db/connection.js';
import { revokeActivationCodes } from '../passwords/activation-codes.js';
import { revokeOutstandingLinks } from '../passwords/links.js';
import type { StaffPrincipal } from '../staff/principal.js';
import { restrictToStaff } from '../staff/scope.js';
import { looksLikeEmail, normaliseEmail } from './email.js';

export type EmailChange =
  | {
      kind: 'saved';
      /** False when the address was already this one (nothing was written). */
      changed: boolean;
      /** Links mailed to the old address that no longer work. */
      linksRevoked: number;
      /** Open "user not found" cases for the new address, closed because the address now belongs to a member. */
      casesClosed: number;
      /** How many other members have the same address (a shared household address is allowed). */
      sharedWith: number;
    }
  | { kind: 'invalid' }
  | { kind: 'notFound' };

/**
 * The one way a member's email changes, whoever changes it (the back-office's edit form, a new
 * member, resolving a case, any later import). In one transaction: the address is validated and
 * stored as typed (trimmed), the change audited old → new, and when the mailbox is a different one,
 * every outstanding set-password link of the member stops working (whoever holds a wrongly entered
 * address must not be able to take the account) and the open "user not found" cases for the new
 * address are closed. Staff are told how many other members share the address.
 */
export async function changeMemberEmail(db: Db, staff: StaffPrincipal, memberId: number, typed: string | null): Promise<EmailChange> {
  const email = typed === null || typed.trim() === '' ? null : typed.trim();
  if (email !== null && !looksLikeEmail(email)) return { kind: 'invalid' };
  return inTransaction(db, async (trx) => {
    const member = await restrictToStaff('members', trx('members as m').where('m.id', memberId), staff, 'm').forUpdate().first('m.id', 'm.email');
    if (!member) return { kind: 'notFound' } as const;
    const sharedWith = email ? await countOthersWithEmail(trx, email, memberId) : 0;
    if (member.email === email) return { kind: 'saved', changed: false, linksRevoked: 0, casesClosed: 0, sharedWith } as const;

    await trx('members').where({ id: memberId }).update({ email, updated_at: trx.fn.now() });
    await writeAudit(trx, { actorType: 'staff', actorId: staff.id, action: 'member.email-changed', memberId, details: { email: { old: member.email, new: email } } });
    const sameMailbox = member.email !== null && email !== null && normaliseEmail(member.email) === normaliseEmail(email);
    if (sameMailbox) return { kind: 'saved', changed: true, linksRevoked: 0, casesClosed: 0, sharedWith } as const;

    const linksRevoked = await revokeOutstandingLinks(trx, { memberId }, 'account-changed');
    const casesClosed = email ? await closeCasesForAddress(trx, staff, memberId, email) : 0;
    if (linksRevoked > 0 || casesClosed > 0) {
      await writeAudit(trx, { actorType: 'staff', actorId: staff.id, action: 'member.email-change-effects', memberId, details: { linksRevoked, casesClosed } });
    }
    return { kind: 'saved', changed: true, linksRevoked, casesClosed, sharedWith } as const;
  });
}

function countOthersWithEmail(trx: Knex.Transaction, email: string, exceptMemberId: number): Promise<number> {
  return trx('members')
    .whereRaw('lower(email) = ?', [normaliseEmail(email)])
    .whereNot({ id: exceptMemberId })
    .count<{ n: number }[]>({ n: '*' })
    .first()
    .then((row) => Number(row?.n ?? 0));
}

/** The address now belongs to a member: the cases asking for it are answered, whoever filed them. */
async function closeCasesForAddress(trx: Knex.Transaction, staff: StaffPrincipal, memberId: number, email: string): Promise<number> {
  return trx('not_found_cases')
    .whereNull('resolved_at')
    .where('address', normaliseEmail(email))
    .update({ resolved_at: trx.fn.now(), resolved_by: staff.id, resolved_member_id: memberId });
}

/** The postal address, which an activation letter goes to (issue #14). */
export const POSTAL_FIELDS = ['street_address', 'postal_code', 'post_office'] as const;
export type PostalField = (typeof POSTAL_FIELDS)[number];

export type PostalAddressChange = { kind: 'saved'; changed: boolean; codesRevoked: number } | { kind: 'invalid'; field: PostalField } | { kind: 'notFound' };

/** As stored: trimmed, blank as null, a postal code without the spaces people put in it ("00 100"). */
export function cleanPostalAddress(typed: Partial<Record<PostalField, unknown>>): Partial<Record<PostalField, string | null>> {
  const clean: Partial<Record<PostalField, string | null>> = {};
  for (const field of POSTAL_FIELDS) {
    if (!(field in typed)) continue;
    const text = typeof typed[field] === 'string' ? (typed[field] as string).trim() : '';
    clean[field] = text === '' ? null : field === 'postal_code' ? text.replace(/\s+/g, '') : text;
  }
  return clean;
}

/** A Finnish postal code is five digits; the other fields take any text. */
export function postalAddressProblem(address: Partial<Record<PostalField, string | null>>): PostalField | undefined {
  return typeof address.postal_code === 'string' && !/^\d{5}$/.test(address.postal_code) ? 'postal_code' : undefined;
}

/**
 * The one way a member's postal address changes, written and audited like the email: only the
 * fields given, each old → new. A letter already printed for the old address must not open the
 * account for whoever receives it there, so the member's outstanding activation codes stop working.
 */
export async function changeMemberPostalAddress(db: Db, staff: StaffPrincipal, memberId: number, typed: Partial<Record<PostalField, unknown>>): Promise<PostalAddressChange> {
  const address = cleanPostalAddress(typed);
  const invalid = postalAddressProblem(address);
  if (invalid) return { kind: 'invalid', field: invalid };
  return inTransaction(db, async (trx) => {
    const member = await restrictToStaff('members', trx('members as m').where('m.id', memberId), staff, 'm').forUpdate().first('m.id', ...POSTAL_FIELDS.map((f) => `m.${f}`));
    if (!member) return { kind: 'notFound' } as const;
    const changed = POSTAL_FIELDS.filter((field) => field in address && member[field] !== address[field]);
    if (changed.length === 0) return { kind: 'saved', changed: false, codesRevoked: 0 } as const;

    await trx('members').where({ id: memberId }).update({ ...address, updated_at: trx.fn.now() });
    const codesRevoked = await revokeActivationCodes(trx, memberId, 'account-changed');
    const details = Object.fromEntries(changed.map((field) => [field, { old: member[field], new: address[field] }]));
    await writeAudit(trx, { actorType: 'staff', actorId: staff.id, action: 'member.postal-address-changed', memberId, details: { ...details, ...(codesRevoked > 0 ? { codesRevoked } : {}) } });
    return { kind: 'saved', changed: true, codesRevoked } as const;
  });
}
