import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, randomInt } from 'node:crypto';

/**
 * How the staff second factor's secrets are kept: the TOTP secret encrypted (AES-256-GCM), recovery
 * codes as keyed hashes (HMAC-SHA-256). Both keys are derived from SESSION_SECRET with HKDF, each for
 * its own purpose, so a copy of the database alone (a backup, a leaked dump) gives neither a working
 * secret nor a code to try offline. Changing SESSION_SECRET therefore makes every enrolled factor
 * unreadable: its owner is then told to ask member services for a reset (README, Security).
 */

const VERSION = 'v1';

function derivedKey(sessionSecret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', sessionSecret, 'asiointipalvelu-staff-second-factor', purpose, 32));
}

/**
 * The staff member's id is bound into the ciphertext (GCM's additional data): a secret copied onto
 * another staff member's row does not decrypt.
 */
export function sealSecret(sessionSecret: string, staffUserId: number, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', derivedKey(sessionSecret, 'totp-secret'), iv);
  cipher.setAAD(Buffer.from(`staff:${staffUserId}`));
  const encrypted = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), encrypted].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
}

/** The secret, or undefined when it cannot be read (another SESSION_SECRET, a damaged or moved row). */
export function openSecret(sessionSecret: string, staffUserId: number, sealed: string): string | undefined {
  const [version, iv, tag, encrypted] = sealed.split('.');
  if (version !== VERSION || !iv || !tag || encrypted === undefined) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', derivedKey(sessionSecret, 'totp-secret'), Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(`staff:${staffUserId}`));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(encrypted, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

/** No 0/o, 1/l/i: a code copied by hand from paper is read right. 31 symbols, 10 of them ≈ 49 bits. */
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const RECOVERY_LENGTH = 10;
export const RECOVERY_CODE_COUNT = 10;

/** Ten new recovery codes as people read them: «abcde-23456». */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = Array.from({ length: RECOVERY_LENGTH }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]).join('');
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
}

/** A typed code as stored: case, spaces and hyphens do not matter. Undefined when it cannot be a code. */
export function normaliseRecoveryCode(typed: string): string | undefined {
  const code = typed.toLowerCase().replace(/[\s-]/g, '');
  return code.length === RECOVERY_LENGTH && [...code].every((char) => RECOVERY_ALPHABET.includes(char)) ? code : undefined;
}

export function hashRecoveryCode(sessionSecret: string, normalised: string): string {
  return createHmac('sha256', derivedKey(sessionSecret, 'recovery-code')).update(normalised).digest('base64url');
}
