import type { Knex } from 'knex';
import type { Db } from '../db/connection.js';
import type { StaffPrincipal } from '../staff/principal.js';
import { restrictToStaff } from '../staff/scope.js';

/**
 * How many members a staff member may see, from the per-association counts PostgreSQL keeps as
 * members change (migration 019): at most one row per association instead of a count over the whole
 * register (~10 ms at 100,000 members, on every opening of the member list). One row, its column
 * `n`: a statement of its own, or a subquery of the list's page, which then carries its total.
 *
 * The members' own scope rule limits it: member_counts has the association_id that rule compares.
 * Were the rule ever to need another column of members, this would fail loudly instead of counting wrong.
 */
export function membersInScope(db: Db, staff: StaffPrincipal): Knex.QueryBuilder {
  return restrictToStaff('members', db('member_counts as members'), staff).sum({ n: 'members.members' });
}

/**
 * The last names that match a search (an ILIKE pattern) among the members a staff member may see,
 * each with how many of them have it, as rows of (value, n): from the names PostgreSQL keeps per
 * association (migration 020), a few thousand rows where the members are 100,000. The members with
 * exactly those names are the search's matches, and n adds up to their total.
 */
export function lastNamesInScope(db: Db, staff: StaffPrincipal, pattern: string): Knex.QueryBuilder {
  return restrictToStaff('members', db('member_last_names as members'), staff)
    .whereILike('members.last_name', pattern)
    .groupBy('members.last_name')
    .select({ value: 'members.last_name' })
    .sum({ n: 'members.members' });
}
