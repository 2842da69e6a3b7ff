import type { Knex } from 'knex';
import { inTransaction, type Db } from '../db/connection.js';
import type { ServiceDeps } from '../services.js';
import type { StaffPrincipal } from '../staff/principal.js';
import { prepareLetter } from './activation-letter.js';
import { codeValidUntil, LIVE_LETTER_AT, lettersQuery, WHY_NO_LETTER, type LetterMember } from './letter-members.js';
import type { LetterContent } from './letter-pdf.js';

/**
 * Activation letters for many members at once (issue #14): the members staff selected, or everyone
 * in their scope still without a way in (an active member with no email and no password). Like the
 * bulk link sends, staff first see how many letters and who is left out and why; confirming makes
 * every code in one transaction, and the letters are then drawn into one PDF, a page each.
 */
export type LetterSelection = { memberIds: number[] } | 'without-email-or-password';

/**
 * Why a selected member gets no letter. «Everyone without email» leaves out a member whose earlier
 * letter still works too: printing the batch again a week later must not silently end codes already
 * in the post. Chosen by hand, such a member does get a new letter (the preview says the old one ends).
 */
export type LeftOut = 'membershipEnded' | 'noPostalAddress' | 'hasLetter';

export interface LetterGroup {
  count: number;
  /** The first member numbers, for the preview to name. */
  sample: string[];
}

export interface LettersPreview {
  letters: number;
  /** Of those getting a letter: already with a password (the code lets them set a new one), and with a letter that still works (it stops). */
  withPassword: number;
  replacingLetter: number;
  leftOut: Record<LeftOut, LetterGroup>;
  validDays: number;
  /** The last day the codes work, YYYY-MM-DD. */
  validUntil: string;
}

const SAMPLE = 20;

function selected(db: Db | Knex.Transaction, staff: StaffPrincipal, selection: LetterSelection) {
  const query = lettersQuery(db, staff);
  if (selection !== 'without-email-or-password') {
    return query.whereRaw('m.id = ANY(?::int[])', [selection.memberIds.filter(Number.isSafeInteger)]).select(db.raw(`${WHY_NO_LETTER} as left_out`));
  }
  return query
    .where('m.membership_status', 'active')
    .whereNull('m.email')
    .whereNotExists((sub) => sub.select(1).from('member_credentials as c').whereRaw('c.member_id = m.id'))
    .select(db.raw(`coalesce(${WHY_NO_LETTER}, CASE WHEN ${LIVE_LETTER_AT} IS NOT NULL THEN 'hasLetter' END) as left_out`));
}

/** The confirmation's numbers; nothing is made or changed. */
export async function previewActivationLetters(deps: ServiceDeps, staff: StaffPrincipal, selection: LetterSelection): Promise<LettersPreview> {
  const { db } = deps;
  const group = (reason: LeftOut) => [
    db.raw(`count(*) FILTER (WHERE left_out = ?)::int as "${reason}"`, [reason]),
    db.raw(`(array_agg(member_number ORDER BY member_number) FILTER (WHERE left_out = ?))[1:${SAMPLE}] as "${reason}_sample"`, [reason]),
  ];
  const row = await db
    .from(selected(db, staff, selection).as('p'))
    .first(
      db.raw('count(*) FILTER (WHERE left_out IS NULL)::int as letters'),
      db.raw('count(*) FILTER (WHERE left_out IS NULL AND has_password)::int as with_password'),
      db.raw('count(*) FILTER (WHERE left_out IS NULL AND live_letter_at IS NOT NULL)::int as replacing'),
      ...group('membershipEnded'),
      ...group('noPostalAddress'),
      ...group('hasLetter'),
    );
  const leftOut = (reason: LeftOut) => ({ count: row[reason], sample: row[`${reason}_sample`] ?? [] });
  return {
    letters: row.letters,
    withPassword: row.with_password,
    replacingLetter: row.replacing,
    leftOut: { membershipEnded: leftOut('membershipEnded'), noPostalAddress: leftOut('noPostalAddress'), hasLetter: leftOut('hasLetter') },
    validDays: deps.config.activationCodeDays,
    validUntil: await codeValidUntil(db, deps.config.activationCodeDays),
  };
}

export type LettersOutcome =
  | { kind: 'ok'; letters: LetterContent[]; fileName: string }
  /** None of the members is one this staff member may see. */
  | { kind: 'notFound' }
  /** Everyone selected is left out (the preview said why). */
  | { kind: 'nobody' };

/**
 * Makes the letters: in one transaction every code (each ending the member's older ones) and its
 * audit row; what the pages say is returned for drawing after the commit, so that a large batch
 * holds no locks while it is drawn and downloaded. A download that breaks off leaves codes no paper
 * carries; printing again makes new ones and ends those.
 */
export async function makeActivationLetters(deps: ServiceDeps, staff: StaffPrincipal, selection: LetterSelection): Promise<LettersOutcome> {
  return inTransaction(deps.db, async (trx) => {
    // Locked in member-number order, the order of the pages: two batches over the same members wait, never deadlock.
    const members: Array<LetterMember & { left_out: LeftOut | null }> = await selected(trx, staff, selection).orderBy('m.member_number').forUpdate('m');
    if (members.length === 0) return { kind: selection === 'without-email-or-password' ? 'nobody' : 'notFound' } as const;
    const chosen = members.filter((member) => member.left_out === null);
    if (chosen.length === 0) return { kind: 'nobody' } as const;
    const batch = { selection: selection === 'without-email-or-password' ? selection : 'selected', letters: chosen.length };
    const letters: LetterContent[] = [];
    for (const member of chosen) letters.push(await prepareLetter(trx, deps, staff, member, batch));
    const day = await codeValidUntil(trx, 0);
    return { kind: 'ok', letters, fileName: `aktivointikirjeet-${day}.pdf` } as const;
  });
}
