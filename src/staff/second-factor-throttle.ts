import { RateLimiterPostgres } from 'rate-limiter-flexible';
import type { Db } from '../db/connection.js';
import { blockedFor, consumeOrWait } from '../passwords/throttles.js';

/**
 * Wrong second-factor codes (TOTP or recovery), counted per staff member in the database-kept
 * counters of the logins (table rate_limits, src/passwords/throttles.ts), so that they hold across
 * processes. Only someone who knows the password gets this far; a guess there hits 1 in ≈ 330,000
 * (three codes are valid at a time). 5 wrong in 15 minutes pause the account's code entry for
 * 15 minutes; 15 wrong in a day lock it for a day, which caps guessing at 15 a day (≈ 1.6 % a year
 * for someone who has the password). Member services' reset lifts both.
 */
const PAUSE_AT = 5;
const PAUSE_SECONDS = 15 * 60;
const LOCK_AT = 15;
const LOCK_SECONDS = 24 * 60 * 60;

interface CodeThrottles {
  pause: RateLimiterPostgres;
  lock: RateLimiterPostgres;
}

const byDatabase = new WeakMap<Db, CodeThrottles>();

function limiter(db: Db, keyPrefix: string, failures: number, seconds: number) {
  // "Block at the Nth failure" is points N - 1 (src/passwords/throttles.ts).
  return new RateLimiterPostgres({ storeClient: db, storeType: 'knex', tableName: 'rate_limits', tableCreated: true, clearExpiredByTimeout: false, keyPrefix, points: failures - 1, duration: seconds, blockDuration: seconds });
}

function throttlesFor(db: Db): CodeThrottles {
  let throttles = byDatabase.get(db);
  if (!throttles) {
    throttles = { pause: limiter(db, 'staff-code-pause', PAUSE_AT, PAUSE_SECONDS), lock: limiter(db, 'staff-code-lock', LOCK_AT, LOCK_SECONDS) };
    byDatabase.set(db, throttles);
  }
  return throttles;
}

const keyOf = (staffUserId: number) => `staff:${staffUserId}`;

/** Milliseconds until this staff member may enter a code again; 0 when they may now. */
export async function codeEntryBlockedFor(db: Db, staffUserId: number): Promise<number> {
  const { pause, lock } = throttlesFor(db);
  const waits = await Promise.all([blockedFor(pause, keyOf(staffUserId)), blockedFor(lock, keyOf(staffUserId))]);
  return Math.max(...waits);
}

/** Counts a wrong code; the wait in milliseconds when that one went over a limit, else 0. */
export async function countWrongCode(db: Db, staffUserId: number): Promise<number> {
  const { pause, lock } = throttlesFor(db);
  const waits = await Promise.all([consumeOrWait(pause, keyOf(staffUserId)), consumeOrWait(lock, keyOf(staffUserId))]);
  return Math.max(...waits);
}

/**
 * After a right code the pause is over; the day's count stays, or the owner's own logins would
 * give someone guessing alongside them fresh tries every day.
 */
export async function endCodePause(db: Db, staffUserId: number): Promise<void> {
  await throttlesFor(db).pause.delete(keyOf(staffUserId));
}

/** At a reset by member services: every earlier mistake is forgotten. */
export async function clearWrongCodes(db: Db, staffUserId: number): Promise<void> {
  const { pause, lock } = throttlesFor(db);
  await Promise.all([pause.delete(keyOf(staffUserId)), lock.delete(keyOf(staffUserId))]);
}
