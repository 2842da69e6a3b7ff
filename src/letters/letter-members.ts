import type { Knex } from 'knex';
import type { Db } from '../db/connection.js';
import { DEFAULT_LANGUAGE, isLanguage } from '../i18n/index.js';
import type { StaffPrincipal } from '../staff/principal.js';
import { restrictToStaff } from '../staff/scope.js';
import type { LetterContent } from './letter-pdf.js';

/**
 * Who may get an activation letter, in one place for the single letter, the batches and their
 * previews: an active member with a whole postal address (the letter is posted; a code for someone
 * whose membership ended would open nothing). A password or an email does not stop a letter: a
 * member without email who forgot their password has no other way back in.
 */
export type NoLetter = 'membershipEnded' | 'noPostalAddress';

/** The rule above over a row of `members as m`, in SQL, so that previews count without loading anyone. */
export const WHY_NO_LETTER = `CASE
  WHEN m.membership_status <> 'active' THEN 'membershipEnded'
  WHEN m.street_address IS NULL OR m.postal_code IS NULL OR m.post_office IS NULL THEN 'noPostalAddress'
END`;

/** When the member's newest letter that still works was printed (null when none does): a new letter ends it. */
export const LIVE_LETTER_AT = `(SELECT max(ac.created_at) FROM activation_codes ac
  WHERE ac.member_id = m.id AND ac.used_at IS NULL AND ac.revoked_at IS NULL AND ac.expires_at > now())`;

export interface LetterMember {
  id: number;
  member_number: string;
  first_name: string;
  last_name: string;
  email: string | null;
  preferred_language: string | null;
  street_address: string | null;
  postal_code: string | null;
  post_office: string | null;
  association_name: string;
  contact_email: string;
  contact_phone: string | null;
  has_password: boolean;
  live_letter_at: Date | null;
  why_no_letter: NoLetter | null;
}

/** The members this staff member may see (src/staff/scope.ts), with what a letter and its preview need. */
export function lettersQuery(db: Db | Knex.Transaction, staff: StaffPrincipal) {
  const query = db('members as m')
    .join('associations as a', 'a.id', 'm.association_id')
    .select(
      'm.id', 'm.member_number', 'm.first_name', 'm.last_name', 'm.email', 'm.preferred_language', 'm.street_address', 'm.postal_code', 'm.post_office',
      'a.name as association_name', 'a.contact_email', 'a.contact_phone',
      db.raw('EXISTS (SELECT 1 FROM member_credentials c WHERE c.member_id = m.id) as has_password'),
      db.raw(`${LIVE_LETTER_AT} as live_letter_at`),
      db.raw(`${WHY_NO_LETTER} as why_no_letter`),
    );
  return restrictToStaff('members', query, staff, 'm');
}

/** The last day a code made today works, as YYYY-MM-DD in Finland's calendar (what the letter prints). */
export async function codeValidUntil(db: Db, days: number): Promise<string> {
  const result = await db.raw(`SELECT to_char((now() AT TIME ZONE 'Europe/Helsinki')::date + ?::int, 'YYYY-MM-DD') as day`, [days]);
  return result.rows[0].day;
}

/** What the letter of a member who may get one says; the member's language, Finnish when none is chosen. */
export function letterContent(member: LetterMember, code: string, expiresAt: Date): LetterContent {
  return {
    language: isLanguage(member.preferred_language) ? member.preferred_language : DEFAULT_LANGUAGE,
    name: `${member.first_name} ${member.last_name}`,
    streetAddress: member.street_address!,
    postalCode: member.postal_code!,
    postOffice: member.post_office!,
    memberNumber: member.member_number,
    associationName: member.association_name,
    associationEmail: member.contact_email,
    associationPhone: member.contact_phone,
    code,
    expiresAt,
    madeAt: new Date(),
  };
}
