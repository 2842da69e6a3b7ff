import assert from 'node:assert/strict';
import { test } from 'node:test';
import { blockedFor, blockedForMany, consumeManyOrWait, consumeOrWait, createThrottles } from '../../src/passwords/throttles.js';
import { createTestDatabase } from '../helpers/database.js';

/**
 * The link-mail allowance for many members in one statement (consumeManyOrWait) writes the counters
 * rate-limiter-flexible keeps (table rate_limits): both must count the same, whichever wrote last, and
 * a counter past its hour must start again for both.
 */
test('many keys at once count as the library counts, over the limit and after the hour alike', async () => {
  const { db } = await createTestDatabase();
  const limiter = createThrottles(db).linkMailsPerMember; // 5 an hour
  const state = async (key: string) => (await limiter.get(key))!;

  for (let i = 0; i < 3; i++) await limiter.consume('101');
  assert.deepEqual(await consumeManyOrWait(db, limiter, ['101', '102']), [0, 0]);
  assert.deepEqual(await consumeManyOrWait(db, limiter, ['101', '102']), [0, 0], 'the 5th of 101: still within');
  const [over, within] = await consumeManyOrWait(db, limiter, ['101', '102']);
  assert.ok(over! > 59 * 60_000 && over! <= 60 * 60_000, `the 6th of 101 waits for the hour to run out: ${over} ms`);
  assert.equal(within, 0);
  assert.equal((await state('101')).consumedPoints, 6, 'the library reads what was written');
  assert.equal((await state('102')).consumedPoints, 3);
  await assert.rejects(limiter.consume('101'), 'and refuses the next one itself');
  assert.equal((await state('101')).consumedPoints, 7);

  // An hour later: the counter starts again, for the library and for many keys alike.
  await db('rate_limits').where({ key: limiter.getKey('101') }).update({ expire: Date.now() - 1 });
  assert.deepEqual(await consumeManyOrWait(db, limiter, ['101']), [0]);
  assert.equal((await state('101')).consumedPoints, 1);
  assert.ok((await state('101')).msBeforeNext > 59 * 60_000, 'with a new hour');

  assert.deepEqual(await consumeManyOrWait(db, limiter, []), []);
});

/**
 * A login reads its three counters in one statement (blockedForMany): each answer must be the one the
 * library's own get() gives — no counter, counting but within, blocked, and past its expiry.
 */
test('several counters read at once answer as the library reads each', async () => {
  const { db } = await createTestDatabase();
  const throttles = createThrottles(db);
  const counters = [
    [throttles.loginLock, '100001'], // no counter
    [throttles.loginSlowdown, '100002'], // two failures: counting, within
    [throttles.loginSlowdown, '100003'], // five failures: blocked for a minute
    [throttles.loginPerClient, '127.0.0.9'], // past its expiry: no counter
  ] as const;
  for (let i = 0; i < 2; i++) await consumeOrWait(throttles.loginSlowdown, '100002');
  for (let i = 0; i < 5; i++) await consumeOrWait(throttles.loginSlowdown, '100003');
  await consumeOrWait(throttles.loginPerClient, '127.0.0.9');
  await db('rate_limits').where({ key: throttles.loginPerClient.getKey('127.0.0.9') }).update({ expire: Date.now() - 1 });

  const read = await blockedForMany(db, counters);
  const one = await Promise.all(counters.map(async ([limiter, key]) => ({ wait: await blockedFor(limiter, key), exists: (await limiter.get(key)) !== null })));
  assert.deepEqual(read.map((r) => r.exists), [false, true, true, false]);
  assert.deepEqual(read.map((r) => r.exists), one.map((r) => r.exists));
  assert.deepEqual(read.map((r) => r.wait === 0), [true, true, false, true]);
  assert.ok(Math.abs(read[2]!.wait - one[2]!.wait) < 1000 && read[2]!.wait > 50_000, `blocked for about a minute: ${read[2]!.wait} ms vs ${one[2]!.wait} ms`);
  assert.deepEqual(await blockedForMany(db, []), []);
});
