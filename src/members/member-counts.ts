import type { Db } from '../db/connection.js';
import type { StaffPrincipal } from '../staff/principal.js';
import { restrictToStaff } from '../staff/scope.js';

/**
 * How many members a staff member may see, from the per-association counts PostgreSQL keeps as
 * members change (migration 019): at most one row per association instead of a count over the whole
 * register (~10 ms at 100,000 members, on every opening of the member list).
 *
 * The members' own scope rule limits it: member_counts has the association_id that rule compares.
 * Were the rule ever to need another column of members, this would fail loudly instead of counting wrong.
 */
export async function countMembersInScope(db: Db, staff: StaffPrincipal): Promise<number> {
  const row = await restrictToStaff('members', db('member_counts as members'), staff).sum<{ n: string | null }>({ n: 'members.members' }).first();
  return Number(row?.n ?? 0);
}
