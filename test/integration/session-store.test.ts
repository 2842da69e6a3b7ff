import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import express from 'express';
import session from 'express-session';
import type { AuditEntry } from '../../src/audit/audit-log.js';
import { pgSessionStore, saveSession } from '../../src/sessions/session-store.js';
import { createTestDatabase } from '../helpers/database.js';
import { onFileEnd } from '../helpers/cleanup.js';
import { seedDemoData } from '../../seeds/demo.js';

/**
 * A login's session is saved with its audit row in one statement (saveSession with an entry): the
 * session row must be the one connect-pg-simple's own save writes, and the two are stored together
 * or not at all.
 */
async function sessionServer() {
  const { db } = await createTestDatabase();
  await seedDemoData(db, { bcryptCost: 4 });
  const memberId = (await db('members').where({ member_number: '200001' }).first('id')).id as number;
  const app = express();
  app.use(session({ name: 't', secret: 'test-secret-test-secret', store: pgSessionStore(db, 'member_sessions'), resave: false, saveUninitialized: false, cookie: { maxAge: 30 * 60_000 } }));
  // ?audit=member: saved with an audit row of that member; ?audit=broken: with a row that cannot be stored.
  app.post('/save', async (req, res) => {
    req.session.memberId = memberId;
    req.session.loggedInAt = 1_700_000_000_000;
    const audit: AuditEntry | undefined =
      req.query.audit === 'member' ? { actorType: 'member', actorId: memberId, action: 'login.succeeded', memberId }
      : req.query.audit === 'broken' ? { actorType: 'member', actorId: memberId, action: 'login.succeeded', memberId: 2_000_000_000 }
      : undefined;
    try {
      await saveSession(req, audit);
      res.json({ sid: req.sessionID });
    } catch {
      res.status(503).json({ sid: req.sessionID });
    }
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  onFileEnd(() => server.close());
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const save = async (audit?: string) => {
    const response = await fetch(`${base}/save${audit ? `?audit=${audit}` : ''}`, { method: 'POST' });
    return { status: response.status, sid: ((await response.json()) as { sid: string }).sid };
  };
  const row = (sid: string) => db('member_sessions').where({ sid }).first('sess', db.raw('extract(epoch from expire) as expire'));
  const audits = () => db('audit_log').where({ member_id: memberId, action: 'login.succeeded' }).count({ n: '*' }).first().then((r) => Number(r!.n));
  return { save, row, audits, memberId };
}

test('a session saved with its audit row is the row the store saves without one, and the audit row is there', async () => {
  const { save, row, audits, memberId } = await sessionServer();
  const before = await audits();
  const plain = await save();
  const audited = await save('member');
  assert.equal(plain.status, 200);
  assert.equal(audited.status, 200);
  const [plainRow, auditedRow] = [await row(plain.sid), await row(audited.sid)];
  assert.deepEqual({ ...auditedRow.sess, cookie: undefined }, { ...plainRow.sess, cookie: undefined });
  assert.deepEqual(auditedRow.sess, { cookie: auditedRow.sess.cookie, memberId, loggedInAt: 1_700_000_000_000 });
  assert.deepEqual(Object.keys(auditedRow.sess.cookie).sort(), Object.keys(plainRow.sess.cookie).sort());
  // Both expire 30 minutes after their save, to the second connect-pg-simple rounds to.
  assert.ok(Math.abs(Number(auditedRow.expire) - Number(plainRow.expire)) <= 2, `${auditedRow.expire} vs ${plainRow.expire}`);
  assert.ok(Math.abs(Number(auditedRow.expire) - (Date.now() / 1000 + 30 * 60)) <= 5);
  assert.equal(await audits(), before + 1, 'one audit row, from the audited save only');
});

test('when the audit row cannot be stored, neither is the session: the save fails', async () => {
  const { save, row, audits } = await sessionServer();
  const before = await audits();
  const broken = await save('broken');
  assert.equal(broken.status, 503);
  assert.equal(await row(broken.sid), undefined, 'no session row');
  assert.equal(await audits(), before);
  // The next save of the same kind, with a row that can be stored, is stored: nothing was left pending.
  const next = await save('member');
  assert.equal(next.status, 200);
  assert.ok(await row(next.sid));
});
