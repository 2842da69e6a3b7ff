import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RecentWrites } from '../../src/sessions/recent-writes.js';

test('a session written within the window is recent, and not after it; written again, its window starts again', () => {
  const writes = new RecentWrites(1000, 100);
  writes.record('a', 0);
  writes.record('b', 10);
  assert.equal(writes.isRecent('a', 999), true);
  assert.equal(writes.isRecent('a', 1000), false);
  writes.record('a', 20);
  writes.record('c', 1015); // b (written at 10) has fallen out of the window; a, written again at 20, has not
  assert.equal(writes.isRecent('a', 1015), true);
  assert.equal(writes.isRecent('b', 1015), false);
  writes.record('d', 2020); // a window after c: the generation of a and b is let go
  assert.equal(writes.size, 2);
  writes.forget('a');
  assert.equal(writes.isRecent('a', 1015), false);
});

test('a flood of sessions inside the window is held to twice the capacity, the latest kept, at a constant cost a write', () => {
  const writes = new RecentWrites(60_000, 10_000);
  const started = performance.now();
  for (let n = 0; n < 200_000; n++) writes.record(`s${n}`, 1_000 + (n >> 10));
  const elapsed = performance.now() - started;
  assert.ok(writes.size <= 20_000, `${writes.size} sessions held`);
  assert.equal(writes.isRecent('s199999', 2_000), true);
  assert.equal(writes.isRecent('s0', 2_000), false, 'the oldest gave way: it only gets its touch early');
  // Sweeping every remembered session on each write (the store's map before) took seconds here.
  assert.ok(elapsed < 2_000, `${Math.round(elapsed)} ms for 200,000 writes`);
});
