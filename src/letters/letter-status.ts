import type { Db } from '../db/connection.js';

/**
 * Where a member stands with the printed activation letter (issue #14), for staff: each letter
 * printed and what became of its code («Sähköpostien tila», the member's page), and the dashboard's
 * two letter counts with the member list's «Aktivointikirje» filter that each count links to.
 */

/**
 * What became of a letter's code; `at` is when it was used, ended or expired, or, while it works, its
 * last moment (a code works to the end of the day printed on the letter, src/letters/letter-pdf.ts).
 */
export type LetterCodeState = 'used' | 'superseded' | 'password-set' | 'account-changed' | 'expired' | 'valid';

export interface LetterStatusLine {
  /** Times as ISO strings: the back-office writes them as dates in Finland, in the staff member's language. */
  printedAt: string;
  code: { state: LetterCodeState; at: string };
}

const iso = (date: Date) => new Date(date).toISOString();

/**
 * The member's letters, newest first. The caller has already checked that the staff member may
 * see this member. Letters go with the retention of ended codes (src/retention.ts).
 */
export async function lettersForMember(db: Db, memberId: number, limit = 50): Promise<LetterStatusLine[]> {
  const rows = await db('activation_codes')
    .where({ member_id: memberId })
    .orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }])
    .limit(limit)
    .select('created_at', 'used_at', 'revoked_at', 'revoked_reason', 'expires_at', db.raw('expires_at <= now() as expired'));
  return rows.map((row) => ({ printedAt: iso(row.created_at), code: codeState(row) }));
}

/** The newest letter, or null when none was ever printed (or all are past retention). */
export async function newestLetter(db: Db, memberId: number): Promise<LetterStatusLine | null> {
  return (await lettersForMember(db, memberId, 1))[0] ?? null;
}

interface CodeRow {
  used_at: Date | null;
  revoked_at: Date | null;
  revoked_reason: 'superseded' | 'password-set' | 'account-changed' | null;
  expires_at: Date;
  expired: boolean;
}

function codeState(row: CodeRow): LetterStatusLine['code'] {
  if (row.used_at) return { state: 'used', at: iso(row.used_at) };
  if (row.revoked_at && row.revoked_reason) return { state: row.revoked_reason, at: iso(row.revoked_at) };
  if (row.expired) return { state: 'expired', at: iso(row.expires_at) };
  return { state: 'valid', at: iso(new Date(new Date(row.expires_at).getTime() - 1)) };
}

/**
 * Active members without email who have had a letter printed, and of those the ones who activated
 * (used a code): counted by the dashboard, chosen by the member list's filter. Each part is written
 * once: who is counted (the member), and which codes count (a code, a used code).
 */
export const LETTER_FILTERS = ['printed', 'activated'] as const;
export type LetterFilter = (typeof LETTER_FILTERS)[number];

const counted = (m: string) => `${m}.membership_status = 'active' AND ${m}.email IS NULL`;
const CODES: Record<LetterFilter, string> = { printed: 'true', activated: 'lc.used_at IS NOT NULL' };

/** True in SQL when the member (table alias `m`) is in the group; for a WHERE (the member list's filter). */
export function letterFilterSql(filter: LetterFilter, m = 'm'): string {
  return `(${counted(m)} AND EXISTS (SELECT 1 FROM activation_codes lc WHERE lc.member_id = ${m}.id AND ${CODES[filter]}))`;
}

/**
 * For counting over many members (the dashboard): one row per member with a letter, to be LEFT
 * JOINed on member_id, and the same groups over it. An EXISTS per member in a count costs little to
 * run but is costed by the planner as one probe per member of the register, which at 100,000 members
 * sets off JIT compilation that takes longer than the query itself.
 */
export const MEMBER_LETTERS_SQL = `SELECT lc.member_id, ${LETTER_FILTERS.map((f) => `bool_or(${CODES[f]}) AS ${f}`).join(', ')} FROM activation_codes lc GROUP BY lc.member_id`;

/** True in SQL when the member (alias `m`), joined to MEMBER_LETTERS_SQL as `l`, is in the group. */
export function letterGroupSql(filter: LetterFilter, m = 'm', l = 'l'): string {
  return `(${counted(m)} AND ${l}.${filter} IS TRUE)`;
}
