import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { prepared, type Db } from '../db/connection.js';

/**
 * Counters for login failures and link orders, kept in PostgreSQL (table rate_limits) by
 * rate-limiter-flexible so that they hold across processes. Expired rows are removed by the
 * maintenance task, not by a timer per limiter.
 */
export interface Throttles {
  /** Failures per member number: a one-minute pause at the 5th in 5 minutes … */
  loginSlowdown: RateLimiterPostgres;
  /** … and a 15-minute lock at the 10th in an hour. Never permanent. */
  loginLock: RateLimiterPostgres;
  /** Failures per client address, across all member numbers. */
  loginPerClient: RateLimiterPostgres;
  /**
   * The same two limits per number on one trusted device (src/passwords/trusted-device.ts): its
   * failures count here instead, so other people's failures never lock the member's own browser.
   */
  loginDeviceSlowdown: RateLimiterPostgres;
  loginDeviceLock: RateLimiterPostgres;
  /** Link orders per client address on the order form. */
  ordersPerClient: RateLimiterPostgres;
  /** Link mails per member: at most 5 an hour, however they were asked for. */
  linkMailsPerMember: RateLimiterPostgres;
}

/** rate_limits.key is varchar(255). */
const MAX_KEY_LENGTH = 255;

/**
 * Keys come from what people type (a staff email, a member number that is not one): a key too
 * long for its column is stored as the SHA-256 of what was typed, so it still counts, apart from
 * every other key, instead of failing the query.
 */
class SizedKeyLimiter extends RateLimiterPostgres {
  override getKey(key: string | number): string {
    const full = super.getKey(key);
    return full.length <= MAX_KEY_LENGTH ? full : super.getKey(`sha256:${createHash('sha256').update(String(key)).digest('base64url')}`);
  }
}

function limiter(db: Db, keyPrefix: string, points: number, duration: number, blockDuration = 0) {
  return new SizedKeyLimiter({
    storeClient: db,
    storeType: 'knex',
    tableName: 'rate_limits',
    tableCreated: true,
    clearExpiredByTimeout: false,
    keyPrefix,
    points,
    duration,
    blockDuration,
  });
}

// A limiter blocks when a consume goes past `points`: "block at the Nth failure" is points N - 1.
const blockAt = (failures: number) => failures - 1;

export function createThrottles(db: Db): Throttles {
  return {
    loginSlowdown: limiter(db, 'login-slow', blockAt(5), 5 * 60, 60),
    loginLock: limiter(db, 'login-lock', blockAt(10), 60 * 60, 15 * 60),
    loginPerClient: limiter(db, 'login-client', blockAt(100), 60 * 60, 15 * 60),
    loginDeviceSlowdown: limiter(db, 'login-device-slow', blockAt(5), 5 * 60, 60),
    loginDeviceLock: limiter(db, 'login-device-lock', blockAt(10), 60 * 60, 15 * 60),
    ordersPerClient: limiter(db, 'order-client', 20, 60 * 60),
    linkMailsPerMember: limiter(db, 'link-member', 5, 60 * 60),
  };
}

/** Milliseconds until the key may try again, or 0 when it is not blocked. */
export async function blockedFor(limiter: RateLimiterPostgres, key: string): Promise<number> {
  return waitOf(limiter, await limiter.get(key));
}

/** The wait a counter's state means (0: not blocked); a state of null is a key with no counter. */
export function waitOf(limiter: RateLimiterPostgres, state: RateLimiterRes | null): number {
  return state && state.consumedPoints > limiter.points ? Math.max(state.msBeforeNext, 1000) : 0;
}

/**
 * blockedFor for several counters in one statement (a login reads three): for each, in order, the wait
 * and whether the counter exists. Reads the rows of rate-limiter-flexible's RateLimiterPostgres as its
 * get() does (a row past its expiry is no counter); test/integration/link-allowance.test.ts holds the two
 * to the same answers.
 */
export async function blockedForMany(db: Db, counters: ReadonlyArray<readonly [RateLimiterPostgres, string]>): Promise<Array<{ wait: number; exists: boolean }>> {
  const read = counterRead(db, counters);
  const result = await prepared('rate-limits-read', db.raw('SELECT ? AS counters', [read.rows]));
  return read.states((result.rows as Array<{ counters: CounterRow[] }>)[0]!.counters);
}

/** A counter's row as counterRead's part of a statement answers it. */
export interface CounterRow {
  key: string;
  points: number;
  expire: number | null;
}

/**
 * Reading several counters as part of a statement (a login reads them with the account, in one round
 * trip): `rows` is a subquery that answers their rows as one JSON array, `states` turns that array into
 * each counter's wait and whether it exists, in the order given.
 */
export function counterRead(db: Db, counters: ReadonlyArray<readonly [RateLimiterPostgres, string]>) {
  const keys = counters.map(([limiter, key]) => limiter.getKey(key));
  const now = Date.now();
  const rows = db.raw(
    `(SELECT coalesce(json_agg(json_build_object('key', key, 'points', points, 'expire', expire)), '[]'::json)
      FROM rate_limits WHERE key = ANY(?::text[]) AND (expire > ? OR expire IS NULL))`,
    [keys, now],
  );
  const states = (found: CounterRow[]) => {
    const byKey = new Map(found.map((row) => [row.key, row]));
    return counters.map(([limiter], i) => {
      const row = byKey.get(keys[i]!);
      if (!row) return { wait: 0, exists: false };
      const msBeforeNext = row.expire === null ? -1 : Math.max(Number(row.expire) - now, 0);
      return { wait: waitOf(limiter, new RateLimiterRes(Math.max(limiter.points - Number(row.points), 0), msBeforeNext, Number(row.points))), exists: true };
    });
  };
  return { rows, states };
}

/** Consumes one point; resolves to the wait in ms when that went over the limit, else 0. */
export async function consumeOrWait(limiter: RateLimiterPostgres, key: string): Promise<number> {
  try {
    await limiter.consume(key);
    return 0;
  } catch (result) {
    if (result instanceof RateLimiterRes) return Math.max(result.msBeforeNext, 1000);
    throw result;
  }
}

/**
 * consumeOrWait for a limiter without a block duration, as the prepared statement of consumeManyOrWait
 * (planned once per connection): the case form's and the staff recovery form's per-client count, a staff
 * account's link-mail allowance. (A member's order counts itself in its lookup: order-link.ts.)
 */
export async function consumeOneOrWait(db: Db, limiter: RateLimiterPostgres, key: string): Promise<number> {
  const [wait] = await consumeManyOrWait(db, limiter, [key]);
  return wait!;
}

/**
 * consumeOrWait for many keys in one statement (counterConsume on its own): resolves to the wait of each
 * key, in the order given (0: within the limit).
 */
export async function consumeManyOrWait(db: Db, limiter: RateLimiterPostgres, keys: string[]): Promise<number[]> {
  if (keys.length === 0) return [];
  const storeKeys = keys.map((key) => limiter.getKey(key));
  const statement = db.raw('WITH used AS (?) SELECT key, wait FROM used', [counterConsume(db, limiter, db.raw('SELECT unnest(?::text[]) AS key', [storeKeys]))]);
  const result = await prepared('rate-limits-consume-many', statement);
  const waits = new Map((result.rows as Array<{ key: string; wait: string }>).map((row) => [row.key, Number(row.wait)]));
  return storeKeys.map((key) => waits.get(key)!);
}

/**
 * Counting one for each key as part of a statement (the order of a link mail counts its members'
 * allowance in the statement that queues the mail): `keys` is SQL answering a column `key` of keys as
 * stored (`limiter.getKey`); the upsert answers each distinct key once, with `wait`, the ms until it may
 * go again (0: within the limit). The limiter offers one key a call, so this is the upsert
 * rate-limiter-flexible's RateLimiterPostgres makes for a consume (its table: key, points, expire in ms;
 * a counter past its expiry starts again), for all the keys at once; test/integration/link-allowance.test.ts
 * holds the two to the same counts. Only for limiters without a block duration (a block is an expiry the
 * library sets apart).
 */
export function counterConsume(db: Db, limiter: RateLimiterPostgres, keys: Knex.Raw): Knex.Raw {
  if (limiter.blockDuration > 0) throw new Error('counterConsume: only for limiters that do not block');
  const now = Date.now();
  const newExpire = limiter.duration > 0 ? now + limiter.duration * 1000 : null;
  return db.raw(
    `INSERT INTO rate_limits AS r (key, points, expire)
       SELECT DISTINCT key, 1, :newExpire::bigint FROM (:keys) AS k
     ON CONFLICT (key) DO UPDATE SET
       points = CASE WHEN r.expire <= :now THEN 1 ELSE r.points + 1 END,
       expire = CASE WHEN r.expire <= :now THEN EXCLUDED.expire ELSE r.expire END
     RETURNING key, CASE WHEN points > :limit THEN greatest(coalesce(expire, :now) - :now, 1000) ELSE 0 END AS wait`,
    { newExpire, keys, now, limit: limiter.points },
  );
}

/** Removes every counter of `limiter` whose key starts with `keyStart` (all devices of one number, say). */
export async function deleteCountersStartingWith(db: Db, limiter: RateLimiterPostgres, keyStart: string): Promise<number> {
  const pattern = limiter.getKey(keyStart).replace(/[\\%_]/g, '\\$&');
  return db('rate_limits').where('key', 'like', `${pattern}%`).delete();
}
