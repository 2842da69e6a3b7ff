import type { Db } from '../db/connection.js';
import { associationScope, type StaffPrincipal } from './principal.js';

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
  const scope = associationScope(staff);
  const rows = await db.raw(
    `SELECT a.name AS association,
            count(m.id)::int AS members,
            count(m.email)::int AS "withEmail",
            count(c.member_id)::int AS "passwordSet",
            (SELECT count(*)::int FROM set_password_links l JOIN members lm ON lm.id = l.member_id
              WHERE lm.association_id = a.id AND l.used_at IS NULL AND l.revoked_at IS NULL AND l.expires_at > now()) AS "linksOutstanding",
            (SELECT count(*)::int FROM not_found_cases nc WHERE nc.association_id = a.id AND nc.resolved_at IS NULL) AS "openCases"
     FROM associations a
     LEFT JOIN members m ON m.association_id = a.id AND m.membership_status = 'active'
     LEFT JOIN member_credentials c ON c.member_id = m.id
     WHERE (?::int IS NULL OR a.id = ?::int)
     GROUP BY a.id, a.name
     ORDER BY a.name
     LIMIT 500`,
    [scope, scope],
  );
  return rows.rows;
}
