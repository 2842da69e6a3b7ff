/**
 * The logged-in staff member, as every staff-side service receives it. Who may see what is decided
 * from this alone: federation member services see everything; association staff their own
 * association's members, and what concerns them.
 */
export interface StaffPrincipal {
  id: number;
  email: string;
  name: string;
  role: 'federation' | 'association';
  associationId: number | null;
}

export const isFederation = (staff: StaffPrincipal) => staff.role === 'federation';

/** The association whose data this staff member is limited to, or null for all of them. */
export function associationScope(staff: StaffPrincipal): number | null {
  if (staff.role === 'federation') return null;
  if (staff.associationId === null) throw new Error('association staff without an association'); // the database forbids this
  return staff.associationId;
}

/** Fails closed: anything that is not a well-formed principal is no principal. */
export function asPrincipal(value: unknown): StaffPrincipal | undefined {
  const v = value as Partial<StaffPrincipal> | undefined;
  if (!v || typeof v.id !== 'number' || typeof v.email !== 'string') return undefined;
  if (v.role === 'federation') return { id: v.id, email: v.email, name: String(v.name ?? ''), role: 'federation', associationId: null };
  if (v.role === 'association' && typeof v.associationId === 'number') return { id: v.id, email: v.email, name: String(v.name ?? ''), role: 'association', associationId: v.associationId };
  return undefined;
}
