import type { Knex } from 'knex';
import { writeAudit } from '../audit/audit-log.js';
import { inTransaction } from '../db/connection.js';
import { createActivationCode } from '../passwords/activation-codes.js';
import type { ServiceDeps } from '../services.js';
import type { StaffPrincipal } from '../staff/principal.js';
import { letterContent, lettersQuery, type LetterMember, type NoLetter } from './letter-members.js';
import { renderActivationLetters, type LetterContent } from './letter-pdf.js';

export type LetterOutcome =
  | { kind: 'ok'; pdf: Buffer; fileName: string }
  /** Not a member this staff member may see (or none at all): the same answer. */
  | { kind: 'notFound' }
  | { kind: 'refused'; why: NoLetter };

/**
 * «Tulosta aktivointikirje» for one member (issue #14). In one transaction: the member is read
 * within the staff member's scope, a new code is made (older ones stop working: only the newest
 * letter counts), the letter is audited, and the PDF is drawn. A PDF that fails to draw rolls the
 * code back, so no code exists that no letter carries.
 */
export async function makeActivationLetter(deps: ServiceDeps, staff: StaffPrincipal, memberId: number): Promise<LetterOutcome> {
  return inTransaction(deps.db, async (trx) => {
    const member: LetterMember | undefined = await lettersQuery(trx, staff).where('m.id', memberId).forUpdate('m').first();
    if (!member) return { kind: 'notFound' } as const;
    if (member.why_no_letter) return { kind: 'refused', why: member.why_no_letter } as const;
    const letter = await prepareLetter(trx, deps, staff, member);
    const pdf = await renderActivationLetters(deps.config, [letter]);
    return { kind: 'ok', pdf, fileName: `aktivointikirje-${member.member_number}.pdf` } as const;
  });
}

/**
 * One member's part of any letter (alone or in a batch), inside the caller's transaction: a new
 * code that ends the older ones, and the audit row (never the code itself). `batch` says, for a
 * batch, which selection it was and how many letters it made.
 */
export async function prepareLetter(trx: Knex.Transaction, deps: ServiceDeps, staff: StaffPrincipal, member: LetterMember, batch?: { selection: string; letters: number }): Promise<LetterContent> {
  const days = deps.config.activationCodeDays;
  const { code, expiresAt, superseded } = await createActivationCode(trx, { memberId: member.id, memberNumber: member.member_number, staffId: staff.id, days });
  await writeAudit(trx, { actorType: 'staff', actorId: staff.id, action: 'activation.letter-made', memberId: member.id, details: { validDays: days, ...(superseded > 0 ? { codesSuperseded: superseded } : {}), ...batch } });
  return letterContent(member, code, expiresAt);
}
