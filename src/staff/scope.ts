import type { Knex } from 'knex';
import type { StaffPrincipal } from './principal.js';

/**
 * Who may see what: the one definition of a staff member's scope, table by table. Federation member
 * services see everything; association staff see their own association, its members, and what
 * concerns those members. The back-office's data layer (admin/scoped-resource.ts) and every
 * staff-side service start their queries here, so a rule changed here changes everywhere.
 *
 * It fails closed: a principal that is neither kind, or association staff without an association,
 * sees nothing at all.
 */
export type ScopedTable = 'members' | 'associations' | 'not_found_cases' | 'mail_queue' | 'audit_log' | 'staff_users';

type Restriction = (query: Knex.QueryBuilder, association: number, alias: string) => void;

/** What association staff may see of each table; federation staff see every row. */
const ASSOCIATION_STAFF_SEE: Record<ScopedTable, Restriction | 'nothing'> = {
  members: (query, association, alias) => void query.where(`${alias}.association_id`, association),
  associations: (query, association, alias) => void query.where(`${alias}.id`, association),
  // A case reaches an association when the number the member typed is one of its members'.
  not_found_cases: (query, association, alias) => void query.where(`${alias}.association_id`, association),
  // A mail concerns the members it was sent for (mail_queue_members).
  mail_queue: (query, association, alias) =>
    void query.whereExists((sub) =>
      sub.select(1).from('mail_queue_members as scope_mm').join('members as scope_m', 'scope_m.id', 'scope_mm.member_id').whereRaw(`scope_mm.mail_id = ${alias}.id`).where('scope_m.association_id', association),
    ),
  audit_log: (query, association, alias) => void query.whereIn(`${alias}.member_id`, (sub) => sub.select('id').from('members').where('association_id', association)),
  // Staff accounts are managed by federation member services only.
  staff_users: 'nothing',
};

/** Limits `query` (on `table`, under `alias`) to the rows this staff member may see. Returns the same query. */
export function restrictToStaff<Q extends Knex.QueryBuilder>(table: ScopedTable, query: Q, staff: StaffPrincipal | undefined, alias: string = table): Q {
  if (staff?.role === 'federation') return query;
  const restriction = ASSOCIATION_STAFF_SEE[table];
  if (staff?.role !== 'association' || typeof staff.associationId !== 'number' || restriction === 'nothing') {
    return query.whereRaw('false') as Q;
  }
  restriction(query, staff.associationId, alias);
  return query;
}

/** The association a staff member's work is limited to, or null for federation staff (recorded with link sends). */
export function associationOf(staff: StaffPrincipal): number | null {
  return staff.role === 'federation' ? null : staff.associationId;
}
