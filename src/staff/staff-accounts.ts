import type { Knex } from 'knex';
import { writeAudit } from '../audit/audit-log.js';
import { queueMail } from '../mail/queue.js';
import { revokeOutstandingLinks } from '../passwords/links.js';
import { endStaffSessions } from '../sessions/end-sessions.js';
import type { StaffPrincipal } from './principal.js';

export type StaffRow = Record<string, unknown> & { id: number; email: string; active: boolean; role: string };

export type StaffAccountChange = { kind: 'invited'; email: string } | { kind: 'updated'; sessionsEnded: number; linksRevoked: number };

/**
 * Staff accounts, managed by federation member services. In one transaction with the write: a new
 * account gets a mailed invitation link (the members' link mechanism) to set its own password; an
 * account that is deactivated, or whose role or association changes, is signed out everywhere and
 * its invitation links stop working. Every change is audited.
 */
export async function saveStaffAccount(trx: Knex.Transaction, actor: StaffPrincipal, before: StaffRow | null, values: Record<string, unknown>): Promise<{ row: StaffRow; change: StaffAccountChange }> {
  if (actor.role !== 'federation') throw new Error('only federation member services manage staff accounts');
  if (!before) {
    const row: StaffRow = (await trx('staff_users').insert(values).returning('*'))[0];
    await queueMail(trx, { template: 'staff-invitation', to: row.email, language: 'fi', data: { staffUserId: row.id } });
    await writeAudit(trx, { actorType: 'staff', actorId: actor.id, action: 'staff.invited', details: { staffUserId: row.id, role: row.role } });
    return { row, change: { kind: 'invited', email: row.email } };
  }
  const row: StaffRow = Object.keys(values).length > 0 ? (await trx('staff_users').where({ id: before.id }).update({ ...values, updated_at: trx.fn.now() }).returning('*'))[0] : before;
  const changed = Object.keys(values).filter((key) => String(before[key] ?? '') !== String(row[key] ?? ''));
  // Losing access or changing what one may see starts from a fresh login.
  const signOut = (before.active && !row.active) || changed.includes('role') || changed.includes('association_id');
  const sessionsEnded = signOut ? await endStaffSessions(trx, row.id) : 0;
  const linksRevoked = before.active && !row.active ? await revokeOutstandingLinks(trx, { staffUserId: row.id }, 'account-changed') : 0;
  if (changed.length > 0) {
    await writeAudit(trx, {
      actorType: 'staff',
      actorId: actor.id,
      action: 'staff.updated',
      details: { staffUserId: row.id, ...Object.fromEntries(changed.map((key) => [key, { old: before[key] ?? null, new: row[key] ?? null }])), sessionsEnded, linksRevoked },
    });
  }
  return { row, change: { kind: 'updated', sessionsEnded, linksRevoked } };
}
