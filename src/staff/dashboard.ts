import type { Db } from '../db/connection.js';
import type { StaffPrincipal } from './principal.js';
import { restrictToStaff } from './scope.js';

export interface AssociationFigures {
  association: string;
  members: number;
  withEmail: number;
  passwordSet: number;
  linksOutstanding: number;
  openCases: number;
}

/** The dashboard's figures, per association the staff member may see. Active members only. */
export async function associationFigures(db: Db, staff: StaffPrincipal): Promise<AssociationFigures[]> {
  const query = db('associations as a')
    .leftJoin('members as m', (join) => join.on('m.association_id', 'a.id').andOnVal('m.membership_status', 'active'))
    .leftJoin('member_credentials as c', 'c.member_id', 'm.id')
    .groupBy('a.id', 'a.name')
    .orderBy('a.name')
    .limit(500)
    .select(
      'a.name as association',
      db.raw('count(m.id)::int as members'),
      db.raw('count(m.email)::int as "withEmail"'),
      db.raw('count(c.member_id)::int as "passwordSet"'),
      db.raw(`(SELECT count(*)::int FROM set_password_links l JOIN members lm ON lm.id = l.member_id
               WHERE lm.association_id = a.id AND l.used_at IS NULL AND l.revoked_at IS NULL AND l.expires_at > now()) as "linksOutstanding"`),
      db.raw(`(SELECT count(*)::int FROM not_found_cases nc WHERE nc.association_id = a.id AND nc.resolved_at IS NULL) as "openCases"`),
    );
  return restrictToStaff('associations', query, staff, 'a');
}
