import { writeAudit } from '../audit/audit-log.js';
import { queueMail } from '../mail/queue.js';
import { findMemberById, type Member } from '../members/register.js';
import type { ServiceDeps } from '../services.js';
import { endMemberSessions, endStaffSessions } from '../sessions/end-sessions.js';
import { staffThrottleKey } from '../staff/authenticate.js';
import { hashPassword } from './hashing.js';
import { claimLink, inspectLink, revokeOutstandingLinks } from './links.js';
import { checkPassword, type PasswordProblem } from './policy.js';

export type SetPasswordOutcome =
  | { kind: 'done'; member: Member }
  | { kind: 'rejected'; problem: PasswordProblem }
  | { kind: 'expired' | 'used' | 'unknown' };

/**
 * «Vaihda salasana» on the «PALAUTA SALASANA» page. In one transaction: the link is used, the
 * password set, every other outstanding link of the member closed, every session of the member
 * ended, and a "your password was changed" mail queued. Then the login lock on the number lifts.
 */
export async function setMemberPasswordWithLink(deps: ServiceDeps, token: string, password: string): Promise<SetPasswordOutcome> {
  const link = await inspectLink(deps.db, token);
  if (link.state !== 'valid' || link.memberId === null) return { kind: link.state === 'valid' ? 'unknown' : link.state };
  const member = await findMemberById(deps.db, link.memberId);
  if (!member || member.membershipStatus !== 'active') return { kind: 'unknown' };

  const problem = checkPassword(password, { memberNumber: member.memberNumber });
  if (problem) return { kind: 'rejected', problem };
  const passwordHash = await hashPassword(password, deps.config.bcryptCost);

  const won = await deps.db.transaction(async (trx) => {
    const claimed = await claimLink(trx, token);
    if (!claimed || claimed.memberId !== member.id) return false;
    await trx('member_credentials')
      .insert({ member_id: member.id, password_hash: passwordHash, password_changed_at: trx.fn.now() })
      .onConflict('member_id')
      .merge();
    const revoked = await revokeOutstandingLinks(trx, { memberId: member.id }, 'password-set');
    const sessions = await endMemberSessions(trx, member.id);
    if (member.email) {
      await queueMail(trx, { template: 'password-changed', to: member.email, language: member.preferredLanguage, data: { memberId: member.id }, memberIds: [member.id] });
    }
    await writeAudit(trx, { actorType: 'member', actorId: member.id, action: 'password.set-with-link', memberId: member.id, details: { otherLinksClosed: revoked, sessionsEnded: sessions } });
    return true;
  });
  if (!won) {
    // Another submission of the same link got there first, or it expired meanwhile.
    const now = await inspectLink(deps.db, token);
    return { kind: now.state === 'valid' ? 'used' : now.state };
  }

  await Promise.all([deps.throttles.loginSlowdown.delete(member.memberNumber), deps.throttles.loginLock.delete(member.memberNumber)]);
  return { kind: 'done', member: { ...member, hasPassword: true } };
}

export type StaffSetPasswordOutcome = { kind: 'done'; email: string } | { kind: 'rejected'; problem: PasswordProblem } | { kind: 'expired' | 'used' | 'unknown' };

/** The same link mechanism for a staff invitation: the new staff member sets their own password. */
export async function setStaffPasswordWithLink(deps: ServiceDeps, token: string, password: string): Promise<StaffSetPasswordOutcome> {
  const link = await inspectLink(deps.db, token);
  if (link.state !== 'valid' || link.staffUserId === null) return { kind: link.state === 'valid' ? 'unknown' : link.state };
  const staff = await deps.db('staff_users').where({ id: link.staffUserId, active: true }).first('id', 'email');
  if (!staff) return { kind: 'unknown' };
  const problem = checkPassword(password);
  if (problem) return { kind: 'rejected', problem };
  const passwordHash = await hashPassword(password, deps.config.bcryptCost);
  const won = await deps.db.transaction(async (trx) => {
    const claimed = await claimLink(trx, token);
    if (!claimed || claimed.staffUserId !== staff.id) return false;
    await trx('staff_credentials').insert({ staff_user_id: staff.id, password_hash: passwordHash, password_changed_at: trx.fn.now() }).onConflict('staff_user_id').merge();
    await revokeOutstandingLinks(trx, { staffUserId: staff.id }, 'password-set');
    await endStaffSessions(trx, staff.id);
    await writeAudit(trx, { actorType: 'staff', actorId: staff.id, action: 'staff.password-set-with-link' });
    return true;
  });
  if (!won) {
    const now = await inspectLink(deps.db, token);
    return { kind: now.state === 'valid' ? 'used' : now.state };
  }
  const key = staffThrottleKey(String(staff.email));
  await Promise.all([deps.throttles.loginSlowdown.delete(key), deps.throttles.loginLock.delete(key)]);
  return { kind: 'done', email: staff.email };
}
