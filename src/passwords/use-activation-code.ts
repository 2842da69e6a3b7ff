import { writeAudit } from '../audit/audit-log.js';
import type { ServiceDeps } from '../services.js';
import { memberAccounts } from './account-kinds.js';
import { hashCode, normaliseCode } from './activation-codes.js';
import { issueLink } from './links.js';
import { consumeCounters, countersFor, readCounters, type LockCause } from './login.js';

/** A code that was right once but no longer works, and why (the person has shown they hold the letter). */
export type DeadCode = 'used' | 'expired' | 'superseded' | 'passwordSet' | 'revoked';

export type ActivationOutcome =
  | { kind: 'ok'; token: string }
  | { kind: 'invalid' }
  | { kind: 'locked'; retryAfterMs: number; cause: LockCause }
  | { kind: 'dead'; why: DeadCode };

interface CodeRow {
  id: number;
  member_id: number;
  membership_status: string;
  used_at: Date | null;
  revoked_reason: string | null;
  expired: boolean;
}

/**
 * «Aktivoi»: member number and the code of a printed letter. A wrong code and an unknown number
 * answer alike and count against the same counters as a failed login (per number and per client
 * address), so a letter's code gives a guesser no more tries than the password form does. A right
 * code is used up and turned into an ordinary set-password link: from there the member is where a
 * mailed link would have taken them, and every rule of setting a password applies unchanged.
 */
export async function useActivationCode(deps: ServiceDeps, input: { memberNumber: string; code: string; clientKey: string }): Promise<ActivationOutcome> {
  const throttleKey = memberAccounts.throttleKey(input.memberNumber);
  const counters = countersFor(deps, throttleKey, { identifier: input.memberNumber, password: '', clientKey: input.clientKey });
  const { waiting } = await readCounters(deps.db, counters);
  if (waiting) return waiting;

  const row = await findCode(deps, input.memberNumber, input.code);
  if (!row || row.membership_status !== 'active') {
    const locked = await consumeCounters(counters);
    await writeAudit(deps.db, { actorType: 'public', action: 'activation.code-failed', details: { memberNumber: throttleKey.slice(0, 80), ...(locked ? { minutes: Math.ceil(locked.retryAfterMs / 60_000) } : {}) } });
    return locked ?? { kind: 'invalid' };
  }
  const dead = whyDead(row);
  if (dead) return { kind: 'dead', why: dead };

  const token = await deps.db.transaction(async (trx) => {
    // Only one of two concurrent submissions of the same code gets the row.
    const claimed = await trx('activation_codes').where({ id: row.id }).whereNull('used_at').whereNull('revoked_at').where('expires_at', '>', trx.fn.now()).update({ used_at: trx.fn.now() });
    if (claimed === 0) return undefined;
    const link = await issueLink(trx, { memberId: row.member_id }, deps.config.linkHours, null);
    await writeAudit(trx, { actorType: 'member', actorId: row.member_id, action: 'activation.code-used', memberId: row.member_id });
    return link.token;
  });
  if (!token) return { kind: 'dead', why: 'used' };
  await Promise.all(counters.account.map(([limiter, key]) => limiter.delete(key)));
  return { kind: 'ok', token };
}

/** One query whether or not the number exists, so that neither the answer nor its timing tells. */
async function findCode(deps: ServiceDeps, memberNumber: string, typed: string): Promise<CodeRow | undefined> {
  const number = memberNumber.trim();
  const code = normaliseCode(typed);
  if (!code || !/^\d{1,12}$/.test(number)) return undefined;
  const { db } = deps;
  return db('activation_codes as c')
    .join('members as m', 'm.id', 'c.member_id')
    .where('c.code_hash', hashCode(number, code))
    .where('m.member_number', number)
    .first('c.id', 'c.member_id', 'm.membership_status', 'c.used_at', 'c.revoked_reason', db.raw('c.expires_at <= now() as expired'));
}

function whyDead(row: CodeRow): DeadCode | undefined {
  if (row.used_at) return 'used';
  if (row.revoked_reason === 'superseded') return 'superseded';
  if (row.revoked_reason === 'password-set') return 'passwordSet';
  if (row.revoked_reason) return 'revoked';
  return row.expired ? 'expired' : undefined;
}
