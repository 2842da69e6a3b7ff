import { normalisePassword } from './hashing.js';
import { CALENDAR_WORDS, isCommonPassword, withoutAccents } from './common-passwords.js';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;

export type PasswordProblem = 'missing' | 'tooShort' | 'tooLong' | 'common';

/**
 * What an attacker who targets this account knows first: its own number, names and address, and
 * the federation's name. The caller gives them; the policy only knows how to use them.
 */
export interface PasswordContext {
  memberNumber?: string;
  /** First and last name, or a staff member's full name; several words each are fine. */
  names?: readonly string[];
  email?: string | null;
  federationName?: string;
}

/** What must be left of a password once the account's own words are taken out. */
const MIN_OWN_PART = 6;

/**
 * NIST SP 800-63B style: length 12–128 characters counted after NFKC normalisation, any
 * characters, no composition rules, and not something guessed first: a breached or common password
 * or a Finnish word or name with digits and punctuation around it (src/passwords/common-passwords.ts),
 * one of only spaces or repetition, or one made of the account's own words and of months, seasons
 * and weekdays with digits and punctuation («Kesäkuu2024!»).
 */
export function checkPassword(password: string, context: PasswordContext = {}): PasswordProblem | undefined {
  if (password.length === 0) return 'missing';
  const normalised = normalisePassword(password);
  const length = [...normalised].length;
  if (length < PASSWORD_MIN_LENGTH) return 'tooShort';
  if (length > PASSWORD_MAX_LENGTH) return 'tooLong';
  const folded = normalised.toLowerCase().replace(/\s+/gu, '');
  if (folded.length === 0 || isCommonPassword(folded) || isRepetitive(folded)) return 'common';
  if (isMadeOfKnownWords(folded, context)) return 'common';
  return undefined;
}

/** "aaaaaaaaaaaa", "121212121212", "123456789012": long but guessed first. */
function isRepetitive(value: string): boolean {
  if (/^(.{1,4})\1+.{0,3}$/u.test(value)) return true;
  const digits = '01234567890123456789';
  return /^\d+$/.test(value) && (digits.includes(value) || [...digits].reverse().join('').includes(value));
}

const calendarWords = CALENDAR_WORDS.map((word) => withoutAccents(word));

/**
 * «Korhonen300123», «sirkka.korhonen2026», «Syyskuu2025!»: refused when, with the account's own
 * words and the calendar's taken out, nothing but digits and punctuation is left, or fewer than six
 * characters. Accents are ignored on both sides, since people write «Meikalainen» for «Meikäläinen»
 * (and addresses have no ä).
 */
function isMadeOfKnownWords(folded: string, context: PasswordContext): boolean {
  const plain = withoutAccents(folded);
  let rest = plain;
  const words = [...contextWords(context), ...calendarWords].sort((a, b) => b.length - a.length);
  for (const word of words) rest = rest.replaceAll(word, '');
  if (rest === plain) return false;
  return [...rest].length < MIN_OWN_PART || !/\p{L}/u.test(rest);
}

/** Each name, number and address part whole and split at dots, hyphens and spaces; longest first. */
function contextWords(context: PasswordContext): string[] {
  const phrases = [context.memberNumber, ...(context.names ?? []), context.email?.split('@')[0], context.federationName];
  const words = new Set<string>();
  for (const phrase of phrases) {
    const folded = withoutAccents(normalisePassword(phrase ?? '').toLowerCase());
    for (const part of [folded.replace(/\s+/gu, ''), ...folded.split(/[\s._+-]+/u)]) {
      if ([...part].length >= 2) words.add(part);
    }
  }
  return [...words].sort((a, b) => b.length - a.length);
}
