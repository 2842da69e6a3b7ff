import { prepared, type Db } from '../db/connection.js';

/**
 * The logged-in staff member, as every staff-side service receives it. Who may see what is decided
 * from this alone (src/staff/scope.ts): federation member services see everything; association
 * staff their own association's members, and what concerns them.
 */
export interface StaffPrincipal {
  id: number;
  email: string;
  name: string;
  role: 'federation' | 'association';
  associationId: number | null;
}

/** Fails closed: anything that is not a well-formed principal is no principal. */
export function asPrincipal(value: unknown): StaffPrincipal | undefined {
  const v = value as Partial<StaffPrincipal> | undefined;
  if (!v || typeof v.id !== 'number' || typeof v.email !== 'string') return undefined;
  if (v.role === 'federation') return { id: v.id, email: v.email, name: String(v.name ?? ''), role: 'federation', associationId: null };
  if (v.role === 'association' && typeof v.associationId === 'number') return { id: v.id, email: v.email, name: String(v.name ?? ''), role: 'association', associationId: v.associationId };
  return undefined;
}

/**
 * Staff accounts that may act now, with what a principal is made of: the one rule of who is staff
 * (a deactivated account is not). findActiveStaff reads one; a staff session is read joined to it
 * (admin/staff-session.ts), so that every back-office request sees the account as it is now.
 */
export function activeStaffQuery(db: Db) {
  return db('staff_users').whereRaw('active').select('id', 'email', 'name', 'role', 'association_id');
}

/** A row of activeStaffQuery as a principal. */
export function principalFromRow(row: { id: number; email: string; name: string; role: string; association_id: number | null }): StaffPrincipal | undefined {
  return asPrincipal({ id: row.id, email: row.email, name: row.name, role: row.role, associationId: row.association_id });
}

/** The staff member as the register has them now, or undefined when the account is gone or deactivated. */
export async function findActiveStaff(db: Db, id: number): Promise<StaffPrincipal | undefined> {
  const row = await prepared('active-staff', activeStaffQuery(db).where({ id }).first());
  return row ? principalFromRow(row) : undefined;
}
