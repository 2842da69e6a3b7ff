import { normalisePassword } from './hashing.js';
import { isCommonPassword } from './common-passwords.js';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;

export type PasswordProblem = 'missing' | 'tooShort' | 'tooLong' | 'common';

/**
 * NIST SP 800-63B style: length 12–128 characters counted after NFKC normalisation, any
 * characters, no composition rules, and not a commonly used password.
 */
export function checkPassword(password: string, context: { memberNumber?: string } = {}): PasswordProblem | undefined {
  if (password.length === 0) return 'missing';
  const normalised = normalisePassword(password);
  const length = [...normalised].length;
  if (length < PASSWORD_MIN_LENGTH) return 'tooShort';
  if (length > PASSWORD_MAX_LENGTH) return 'tooLong';
  const folded = normalised.toLowerCase().replace(/\s+/g, '');
  if (isCommonPassword(folded) || isRepetitive(folded)) return 'common';
  if (context.memberNumber && folded.includes(context.memberNumber) && folded.replaceAll(context.memberNumber, '').length < 6) return 'common';
  return undefined;
}

/** "aaaaaaaaaaaa", "121212121212", "123456789012": long but guessed first. */
function isRepetitive(value: string): boolean {
  if (/^(.{1,4})\1+.{0,3}$/u.test(value)) return true;
  const digits = '01234567890123456789';
  return /^\d+$/.test(value) && (digits.includes(value) || [...digits].reverse().join('').includes(value));
}
