import { writeAudit } from '../audit/audit-log.js';
import { inTransaction } from '../db/connection.js';
import type { Language } from '../i18n/index.js';
import { queueMail } from '../mail/queue.js';
import { normaliseEmail } from '../members/email.js';
import { useLinkMailAllowance } from '../passwords/link-eligibility.js';
import { consumeOneOrWait } from '../passwords/throttles.js';
import type { ServiceDeps } from '../services.js';
import type { StaffPrincipal } from './principal.js';

/**
 * How staff get back in: «Unohditko salasanan?» on the back-office login, and federation member
 * services resending an invitation. Both mail a set-password link made by the members' link
 * mechanism (made at send time, hashed at rest, usable once), so the rules of links live in one place.
 */

export type StaffLinkOrderOutcome = { kind: 'answered' } | { kind: 'tooManyFromClient'; retryAfterMs: number };

/**
 * «Unohditko salasanan?»: one answer whatever the address is — an active staff account's, someone
 * else's, nobody's — so the form cannot be used to find out who works in the back-office. Orders
 * count against the same per-client limit as the portal's order form; a sixth mail within an hour
 * to one account is quietly not sent (the answer stays the same, the audit log says so).
 */
export async function orderStaffPasswordLink(deps: ServiceDeps, request: { email: string; clientKey: string; language: Language }): Promise<StaffLinkOrderOutcome> {
  const wait = await consumeOneOrWait(deps.db, deps.throttles.ordersPerClient, request.clientKey);
  if (wait > 0) return { kind: 'tooManyFromClient', retryAfterMs: wait };
  const email = normaliseEmail(request.email).slice(0, 254);
  const staff = email ? await deps.db('staff_users').whereRaw('lower(email) = ?', [email]).where({ active: true }).first('id', 'email') : undefined;
  if (!staff) return { kind: 'answered' };
  await inTransaction(deps.db, async (trx) => {
    const over = await useLinkMailAllowance({ ...deps, db: trx }, { staffUserId: staff.id });
    if (over > 0) {
      await writeAudit(trx, { actorType: 'public', action: 'staff.password-link-not-sent', details: { staffUserId: staff.id } });
      return;
    }
    const mailId = await queueMail(trx, { template: 'staff-password-reset', to: staff.email, language: request.language, data: { staffUserId: staff.id } });
    await writeAudit(trx, { actorType: 'public', action: 'staff.password-link-ordered', details: { staffUserId: staff.id, sent: true, mailId } });
  });
  return { kind: 'answered' };
}

export type ResendOutcome = { kind: 'queued'; email: string } | { kind: 'inactive' } | { kind: 'tooMany'; retryAfterMs: number };

/**
 * «Lähetä kutsu uudelleen»: federation member services send a staff member a new invitation (a
 * set-password link valid as long as a first link). Earlier links keep working until they expire
 * or one of them is used; then the others close, as with every link.
 */
export async function resendStaffInvitation(deps: ServiceDeps, actor: StaffPrincipal, staffUserId: number): Promise<ResendOutcome> {
  if (actor.role !== 'federation') throw new Error('only federation member services resend staff invitations');
  return inTransaction<ResendOutcome>(deps.db, async (trx) => {
    const staff = await trx('staff_users').where({ id: staffUserId, active: true }).first('id', 'email');
    if (!staff) return { kind: 'inactive' };
    const wait = await useLinkMailAllowance({ ...deps, db: trx }, { staffUserId: staff.id });
    if (wait > 0) return { kind: 'tooMany', retryAfterMs: wait };
    const mailId = await queueMail(trx, { template: 'staff-invitation', to: staff.email, language: 'fi', data: { staffUserId: staff.id } });
    await writeAudit(trx, { actorType: 'staff', actorId: actor.id, action: 'staff.invitation-resent', details: { staffUserId: staff.id, mailId } });
    return { kind: 'queued', email: staff.email };
  });
}
