import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type session from 'express-session';
import { pgSessionStore } from '../../src/sessions/session-store.js';
import { createTestDatabase } from '../helpers/database.js';

/**
 * Rolling sessions: the idle expiry moves with every request, but the row is written at most once per
 * interval (src/sessions/session-store.ts), not once per page or back-office API call.
 */
const call = <T>(fn: (done: (error?: unknown, value?: T) => void) => void) =>
  new Promise<T>((resolve, reject) => fn((error, value) => (error ? reject(error) : resolve(value as T))));

test('a touch within the interval is not written; after it, and after a change, the row follows', async () => {
  const { db } = await createTestDatabase();
  const store = pgSessionStore(db, 'staff_sessions', { touchEveryMs: 300 });
  const sess = (minutes: number) => ({ cookie: { originalMaxAge: 1_800_000, expires: new Date(Date.now() + minutes * 60_000) } }) as unknown as session.SessionData;
  const expiry = async () => new Date((await db('staff_sessions').where({ sid: 's1' }).first('expire')).expire).getTime();

  await call<void>((done) => store.set('s1', sess(30), done));
  const saved = await expiry();
  await call<void>((done) => store.touch('s1', sess(31), done));
  assert.equal(await expiry(), saved, 'a touch right after a save is not written');

  await sleep(350);
  await call<void>((done) => store.touch('s1', sess(32), done));
  const touched = await expiry();
  assert.ok(touched > saved + 60_000, 'a touch after the interval moves the expiry');

  await call<void>((done) => store.touch('s1', sess(33), done));
  assert.equal(await expiry(), touched, 'and the next one within the interval is skipped again');

  await call<void>((done) => store.set('s1', { ...sess(34), adminUser: { id: 1 } } as session.SessionData, done));
  assert.ok((await expiry()) > touched, 'a change is saved at once, whenever it comes');
  const row = await db('staff_sessions').where({ sid: 's1' }).first('sess');
  assert.deepEqual(row.sess.adminUser, { id: 1 });

  await call<void>((done) => store.destroy('s1', done));
  assert.equal(await db('staff_sessions').where({ sid: 's1' }).first(), undefined);
});
