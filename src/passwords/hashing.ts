import bcrypt from 'bcrypt';
import { createHmac } from 'node:crypto';

/**
 * bcrypt reads at most 72 bytes and stops at a NUL byte, so a long password would be silently
 * truncated. We hash an HMAC-SHA-256 digest of the NFKC-normalised password instead: 44 ASCII
 * characters, every byte of the password counts, and the fixed key keeps these digests from
 * matching plain SHA-256 digests found elsewhere.
 */
const PREHASH_KEY = 'asiointipalvelu/password/v1';

export function normalisePassword(password: string): string {
  return password.normalize('NFKC');
}

function prehash(password: string): string {
  return createHmac('sha256', PREHASH_KEY).update(normalisePassword(password), 'utf8').digest('base64');
}

export function hashPassword(password: string, cost: number): Promise<string> {
  return bcrypt.hash(prehash(password), cost);
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(prehash(password), hash);
}

const dummyHashes = new Map<number, Promise<string>>();

/**
 * Compare against this when the account does not exist, so an unknown member number takes
 * as long as a wrong password.
 */
export async function verifyAgainstDummy(password: string, cost: number): Promise<false> {
  let dummy = dummyHashes.get(cost);
  if (!dummy) {
    dummy = bcrypt.hash('no account has this password', cost);
    dummyHashes.set(cost, dummy);
  }
  await bcrypt.compare(prehash(password), await dummy);
  return false;
}
