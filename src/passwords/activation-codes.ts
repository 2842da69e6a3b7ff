import { createHash, randomInt } from 'node:crypto';
import type { Db } from '../db/connection.js';

/**
 * One-time activation codes, printed on the letter a member without email gets (issue #14).
 *
 * A code is 12 characters from an alphabet without look-alikes: no 0/O, no 1/I/L, so whatever an
 * older eye reads off paper is either right or not a code at all. 31 characters, 12 of them:
 * 12 × log2(31) ≈ 59.4 bits. Shown as XXXX-XXXX-XXXX; typed in any case, with or without spaces
 * and dashes. Stored only as SHA-256 of "member number:code": the letter is the only copy. A fast
 * hash is enough here where it would not be for a password: 2^59 guesses offline for one member,
 * for a code that lives 30 days and dies at first use, while online guesses meet the login counters.
 */

export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const CODE_LENGTH = 12;
const GROUP = 4;

export type CodeEndReason = 'superseded' | 'password-set' | 'account-changed';

export function makeCode(): string {
  return Array.from({ length: CODE_LENGTH }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
}

/** XXXX-XXXX-XXXX, as printed. */
export function formatCode(code: string): string {
  return code.match(new RegExp(`.{1,${GROUP}}`, 'g'))!.join('-');
}

// Spaces of any kind and every dash a keyboard or a phone's autocorrect may put in.
const SEPARATORS = /[\s\-‐‑‒–—―]/g;
const CODE_SHAPE = new RegExp(`^[${CODE_ALPHABET}]{${CODE_LENGTH}}$`);

/** The code as typed, without separators and in capitals; undefined when it cannot be a code. */
export function normaliseCode(typed: string): string | undefined {
  const code = typed.replace(SEPARATORS, '').toUpperCase();
  return CODE_SHAPE.test(code) ? code : undefined;
}

/** The number is part of what is hashed: the same code for two members gives two hashes. */
export function hashCode(memberNumber: string, code: string): Buffer {
  return createHash('sha256').update(`${memberNumber}:${code}`, 'utf8').digest();
}

/**
 * A new code for a member, valid `days` days and the rest of today. Any older code still outstanding stops working:
 * only the newest letter counts (say a first letter was lost in the post).
 */
export async function createActivationCode(trx: Db, input: { memberId: number; memberNumber: string; staffId: number | null; days: number }): Promise<{ code: string; expiresAt: Date; superseded: number }> {
  const superseded = await revokeActivationCodes(trx, input.memberId, 'superseded');
  const code = makeCode();
  const [row] = await trx('activation_codes')
    .insert({
      member_id: input.memberId,
      code_hash: hashCode(input.memberNumber, code),
      created_by: input.staffId,
      // To the end of the day in Finland, so that the date printed on the letter holds all that day.
      expires_at: trx.raw(`(date_trunc('day', now() AT TIME ZONE 'Europe/Helsinki') + make_interval(days => ? + 1)) AT TIME ZONE 'Europe/Helsinki'`, [input.days]),
    })
    .returning('expires_at');
  return { code, expiresAt: row.expires_at, superseded };
}

/** The member's outstanding codes stop working: a password was set, a newer letter made, or the address changed. */
export function revokeActivationCodes(trx: Db, memberId: number, reason: CodeEndReason): Promise<number> {
  return trx('activation_codes')
    .where({ member_id: memberId })
    .whereNull('used_at')
    .whereNull('revoked_at')
    .update({ revoked_at: trx.fn.now(), revoked_reason: reason });
}
