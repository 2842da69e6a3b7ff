import type { Db } from '../db/connection.js';
import { LETTER_FILTERS, letterGroupSql, MEMBER_LETTERS_SQL, type LetterFilter } from '../letters/letter-status.js';
import { memberStateSql, type MemberState } from '../members/member-state.js';
import type { StaffPrincipal } from './principal.js';
import { restrictToStaff } from './scope.js';

/** Members, not links, per association: each count is a filter of the member list (src/members/member-state.ts). */
export interface AssociationFigures {
  associationId: number;
  association: string;
  /** Active members. */
  members: number;
  withEmail: number;
  states: Record<Exclude<MemberState, 'ended'>, number>;
  /** Active members without email who have had a letter printed, and of those who activated with one (src/letters/letter-status.ts). */
  letters: Record<LetterFilter, number>;
  openCases: number;
}

const COUNTED: Array<Exclude<MemberState, 'ended'>> = ['password-set', 'link-waiting', 'no-link-yet', 'no-email'];

/** The dashboard's figures, per association the staff member may see; active members only, and the heading says so. */
export async function associationFigures(db: Db, staff: StaffPrincipal): Promise<AssociationFigures[]> {
  const query = db('associations as a')
    .leftJoin('members as m', (join) => join.on('m.association_id', 'a.id').andOnVal('m.membership_status', 'active'))
    .leftJoin(db.raw(`(${MEMBER_LETTERS_SQL}) as l`), 'l.member_id', 'm.id')
    .groupBy('a.id', 'a.name')
    .orderBy('a.name')
    .limit(500)
    .select(
      'a.id as associationId',
      'a.name as association',
      db.raw('count(m.id)::int as members'),
      db.raw('count(m.email)::int as "withEmail"'),
      ...COUNTED.map((state) => db.raw(`count(m.id) FILTER (WHERE ${memberStateSql(state)})::int as ??`, [state])),
      ...LETTER_FILTERS.map((filter) => db.raw(`count(m.id) FILTER (WHERE ${letterGroupSql(filter)})::int as ??`, [`letter-${filter}`])),
      db.raw(`(SELECT count(*)::int FROM not_found_cases nc WHERE nc.association_id = a.id AND nc.resolved_at IS NULL) as "openCases"`),
    );
  const rows: Array<Record<string, number | string>> = await restrictToStaff('associations', query, staff, 'a');
  return rows.map((row) => ({
    associationId: Number(row.associationId),
    association: String(row.association),
    members: Number(row.members),
    withEmail: Number(row.withEmail),
    states: Object.fromEntries(COUNTED.map((state) => [state, Number(row[state])])) as AssociationFigures['states'],
    letters: Object.fromEntries(LETTER_FILTERS.map((filter) => [filter, Number(row[`letter-${filter}`])])) as AssociationFigures['letters'],
    openCases: Number(row.openCases),
  }));
}

/**
 * Open cases that belong to no association (the requester gave no member number): only federation
 * staff see them, so the dashboard counts them apart. Null for association staff.
 */
export async function openCasesWithoutAssociation(db: Db, staff: StaffPrincipal): Promise<number | null> {
  if (staff.role !== 'federation') return null;
  const row = await restrictToStaff('not_found_cases', db('not_found_cases as nc'), staff, 'nc').whereNull('nc.resolved_at').whereNull('nc.association_id').count<{ n: number }[]>({ n: '*' }).first();
  return Number(row?.n ?? 0);
}
