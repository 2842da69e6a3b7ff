import type { Knex } from 'knex';
import type { Db } from '../db/connection.js';
import { associationScope, type StaffPrincipal } from '../staff/principal.js';
import { findMembersByIds, type Member } from './register.js';

/**
 * Who may see a member: federation staff anyone, association staff their own association's
 * members. Every staff-side read of members goes through here (the admin's data layer too).
 */
export function scopeMembers<T extends Knex.QueryBuilder>(query: T, staff: StaffPrincipal, column = 'association_id'): T {
  const association = associationScope(staff);
  return association === null ? query : (query.where(column, association) as T);
}

/** The members among ids that this staff member may see; the others are simply not there. */
export async function visibleMembers(db: Db, staff: StaffPrincipal, ids: number[]): Promise<Member[]> {
  const association = associationScope(staff);
  return (await findMembersByIds(db, ids)).filter((member) => association === null || member.associationId === association);
}
