import assert from 'node:assert/strict';
import { test } from 'node:test';
import { consumeManyOrWait, createThrottles } from '../../src/passwords/throttles.js';
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
