import { findMemberByNumber, type Member } from '../members/register.js';
import type { ServiceDeps } from '../services.js';
import { verifyAgainstDummy, verifyPassword } from './hashing.js';
import { blockedFor, consumeOrWait } from './throttles.js';

export type LoginOutcome = { kind: 'ok'; member: Member } | { kind: 'invalid' } | { kind: 'locked'; retryAfterMs: number };

/**
 * Member number and password. An unknown number, an ended membership, a member with no password
 * and a wrong password all answer 'invalid' after the same bcrypt work. Failures are counted in the
 * database per number and per client; past the limits the number waits, never for good.
 */
export async function authenticateMember(deps: ServiceDeps, input: { memberNumber: string; password: string; clientKey: string }): Promise<LoginOutcome> {
  const { throttles } = deps;
  const number = input.memberNumber.trim();
  const numberKey = /^\d{1,12}$/.test(number) ? number : `invalid:${number.slice(0, 40)}`;

  const wait = Math.max(
    await blockedFor(throttles.loginLock, numberKey),
    await blockedFor(throttles.loginSlowdown, numberKey),
    await blockedFor(throttles.loginPerClient, input.clientKey),
  );
  if (wait > 0) return { kind: 'locked', retryAfterMs: wait };

  const member = numberKey === number ? await findMemberByNumber(deps.db, number) : undefined;
  const credentials = member ? await deps.db('member_credentials').where({ member_id: member.id }).first('password_hash') : undefined;
  const matches = credentials
    ? await verifyPassword(input.password, credentials.password_hash)
    : await verifyAgainstDummy(input.password, deps.config.bcryptCost);

  if (member && matches && member.membershipStatus === 'active') {
    await Promise.all([throttles.loginSlowdown.delete(numberKey), throttles.loginLock.delete(numberKey)]);
    return { kind: 'ok', member };
  }

  const waits = await Promise.all([
    consumeOrWait(throttles.loginLock, numberKey),
    consumeOrWait(throttles.loginSlowdown, numberKey),
    consumeOrWait(throttles.loginPerClient, input.clientKey),
  ]);
  const lockedFor = Math.max(...waits);
  return lockedFor > 0 ? { kind: 'locked', retryAfterMs: lockedFor } : { kind: 'invalid' };
}
