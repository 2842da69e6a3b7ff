import type { Knex } from 'knex';
import type { RateLimiterPostgres } from 'rate-limiter-flexible';
import { writeAudit, type AuditEntry } from '../audit/audit-log.js';
import { prepared, type Db } from '../db/connection.js';
import type { Member } from '../members/register.js';
import type { ServiceDeps } from '../services.js';
import { memberAccounts } from './account-kinds.js';
import { verifyAgainstDummy, verifyPassword } from './hashing.js';
import { blockedForMany, consumeOrWait, counterRead, deleteCountersStartingWith, type CounterRow } from './throttles.js';

/**
 * Checking a password at login: the one implementation for every kind of account. What differs
 * between members and staff is described by their account kind (src/passwords/account-kinds.ts);
 * the algorithm below is shared.
 */
export interface LoginAccounts<A> {
  /** Names the login's statement, prepared once per connection and kind. */
  name: 'member' | 'staff';
  /** The counter key for an identifier as typed; every spelling of one account gives the same key. */
  throttleKey(identifier: string): string;
  /**
   * The query for the account an identifier names, with its `id` and password hash; undefined when what
   * was typed cannot name one. A query, not its answer: the login reads it with its counters in one statement.
   */
  loginQuery(db: Db, identifier: string): Knex.QueryBuilder | undefined;
  /**
   * From a row of loginQuery: the account, whether it may log in now, and its password hash (null when
   * none is set); undefined when the row is no account that can log in (answered as an unknown one).
   */
  loginAccount(row: Record<string, unknown>): { account: A; active: boolean; passwordHash: string | null } | undefined;
  /** How the audit log names the account (login, failure, lock). */
  auditSubject(account: A): { actorType: 'member' | 'staff'; actorId: number; memberId?: number };
}

export interface LoginAttempt {
  identifier: string;
  password: string;
  clientKey: string;
  /**
   * Set only when the caller has verified a trusted-device cookie listing this identifier
   * (src/passwords/trusted-device.ts). Its failures then count per identifier and device, and
   * other people's failures (per identifier, per address) do not block it.
   */
  deviceId?: string;
}

/** 'client' when the address is what is over its limit: the account itself is not to blame. */
export type LockCause = 'account' | 'client';
export type LoginResult<A> = { kind: 'ok'; account: A; audit: AuditEntry } | { kind: 'invalid' } | { kind: 'locked'; retryAfterMs: number; cause: LockCause };

type Counter = readonly [RateLimiterPostgres, string];
interface Counters {
  account: Counter[];
  client: Counter | undefined;
}

/**
 * An unknown identifier, an inactive account, one with no password and a wrong password all
 * answer 'invalid' after the same bcrypt work. Failures are counted in the database; past the
 * limits the attempt waits, never for good. A success is not yet in the audit log: its row comes
 * back as `audit`, for the caller to write with the session the login starts (saveSession in
 * src/sessions/session-store.ts), so that the log shows a login exactly when one was started.
 */
export async function checkLogin<A>(deps: ServiceDeps, kind: LoginAccounts<A>, attempt: LoginAttempt): Promise<LoginResult<A>> {
  const counters = countersFor(deps, kind.throttleKey(attempt.identifier), attempt);
  const { states, found } = await readAttempt(deps.db, kind, attempt.identifier, counters);
  const { waiting, accountCounterExists } = judge(counters, states);
  if (waiting) return waiting;

  const matches = found?.passwordHash
    ? await verifyPassword(attempt.password, found.passwordHash)
    : await verifyAgainstDummy(attempt.password, deps.config.bcryptCost);
  if (found && matches && found.active) {
    // Only the counters this attempt was judged by: a trusted device's success must not wipe the
    // number's counters, or every login of the member would give a guesser elsewhere fresh tries.
    // A counter that did not exist when read needs no delete (the usual case: no failures before).
    await Promise.all(counters.account.filter((_counter, i) => accountCounterExists[i]).map(([limiter, key]) => limiter.delete(key)));
    return { kind: 'ok', account: found.account, audit: loginAudit(kind, attempt, found.account, 'login.succeeded') };
  }
  const locked = await consumeCounters(counters);
  const action = locked ? 'login.locked' : 'login.failed';
  await writeAudit(deps.db, loginAudit(kind, attempt, found?.account, action, locked ? { cause: locked.cause, minutes: Math.ceil(locked.retryAfterMs / 60_000) } : {}));
  return locked ?? { kind: 'invalid' };
}

/**
 * The counters and, in the same statement, the account (an attempt that must wait never sees it):
 * the login's one round trip before bcrypt. A round trip is CPU beside bcrypt's, and with several
 * logins at once on few cores every such millisecond lengthens each login (bench/measure-login.ts).
 */
async function readAttempt<A>(db: Db, kind: LoginAccounts<A>, identifier: string, counters: Counters) {
  const all = allOf(counters);
  const account = kind.loginQuery(db, identifier);
  if (!account) return { states: await blockedForMany(db, all), found: undefined };
  const read = counterRead(db, all);
  const result = await prepared(`login-read-${kind.name}`, db.raw('SELECT ? AS counters, account.* FROM (SELECT 1) AS one LEFT JOIN ? AS account ON true', [read.rows, account]));
  const row = (result.rows as Array<Record<string, unknown> & { counters: CounterRow[] }>)[0]!;
  return { states: read.states(row.counters), found: row.id === null ? undefined : kind.loginAccount(row) };
}

/**
 * A security event in the audit log: whose account (when it exists), or the identifier as counted
 * when it does not. Never the password. Attempts refused while already locked are not written again:
 * the lock itself was.
 */
function loginAudit<A>(kind: LoginAccounts<A>, attempt: LoginAttempt, account: A | undefined, action: 'login.succeeded' | 'login.failed' | 'login.locked', details: Record<string, unknown> = {}): AuditEntry {
  const subject = account === undefined ? { actorType: 'public' as const, actorId: null } : kind.auditSubject(account);
  return {
    ...subject,
    action,
    details: { ...details, ...(account === undefined ? { unknownAccount: kind.throttleKey(attempt.identifier).slice(0, 80) } : {}), ...(attempt.deviceId ? { trustedDevice: true } : {}) },
  };
}

/** After a password is set through a link: the account's failures no longer stand (every device's too). */
export async function clearLoginFailures<A>(deps: ServiceDeps, kind: LoginAccounts<A>, identifier: string): Promise<void> {
  const { throttles, db } = deps;
  const key = kind.throttleKey(identifier);
  await Promise.all([
    throttles.loginSlowdown.delete(key),
    throttles.loginLock.delete(key),
    deleteCountersStartingWith(db, throttles.loginDeviceSlowdown, `${key}:`),
    deleteCountersStartingWith(db, throttles.loginDeviceLock, `${key}:`),
  ]);
}

export function countersFor({ throttles }: ServiceDeps, key: string, attempt: LoginAttempt): Counters {
  if (attempt.deviceId) {
    const deviceKey = `${key}:${attempt.deviceId}`;
    return { account: [[throttles.loginDeviceLock, deviceKey], [throttles.loginDeviceSlowdown, deviceKey]], client: undefined };
  }
  return { account: [[throttles.loginLock, key], [throttles.loginSlowdown, key]], client: [throttles.loginPerClient, attempt.clientKey] };
}

/**
 * Reads every counter in one statement: whether the attempt must wait (the longest wait, and whether
 * the address caused it), and which of the account's counters exist at all.
 */
export async function readCounters(db: Db, counters: Counters) {
  return judge(counters, await blockedForMany(db, allOf(counters)));
}

const allOf = (counters: Counters): Counter[] => [...counters.account, ...(counters.client ? [counters.client] : [])];

/** What the states of allOf(counters) mean for the attempt. */
function judge(counters: Counters, states: Array<{ wait: number; exists: boolean }>) {
  const account = states.slice(0, counters.account.length);
  return {
    waiting: lockOf(account.map((state) => state.wait), states[counters.account.length]?.wait ?? 0),
    accountCounterExists: account.map((state) => state.exists),
  };
}

/** Consumes a point of every counter; the longest wait, and whether the address caused it. */
export async function consumeCounters(counters: Counters) {
  const [accountWaits, clientWait] = await Promise.all([
    Promise.all(counters.account.map(([limiter, key]) => consumeOrWait(limiter, key))),
    counters.client ? consumeOrWait(...counters.client) : 0,
  ]);
  return lockOf(accountWaits, clientWait);
}

/** The longest of the waits, and whether the address caused it; undefined when none is over its limit. */
function lockOf(accountWaits: number[], clientWait: number) {
  const wait = Math.max(clientWait, ...accountWaits);
  if (wait === 0) return undefined;
  // Nothing done with the account (waiting for its lock, ordering a new password) helps while the address is blocked.
  return { kind: 'locked' as const, retryAfterMs: wait, cause: clientWait > 0 ? ('client' as const) : ('account' as const) };
}

export type LoginOutcome = { kind: 'ok'; member: Member; audit: AuditEntry } | { kind: 'invalid' } | { kind: 'locked'; retryAfterMs: number; cause: LockCause };

/** Member number and password (the portal's login form). */
export async function authenticateMember(deps: ServiceDeps, input: { memberNumber: string; password: string; clientKey: string; deviceId?: string }): Promise<LoginOutcome> {
  const result = await checkLogin(deps, memberAccounts, { identifier: input.memberNumber, password: input.password, clientKey: input.clientKey, deviceId: input.deviceId });
  return result.kind === 'ok' ? { kind: 'ok', member: result.account, audit: result.audit } : result;
}
