import type { Db } from '../db/connection.js';

/** Signs a staff member out everywhere (deactivated, or a new password set through a link). */
export async function endStaffSessions(db: Db, staffUserId: number): Promise<number> {
  return db('staff_sessions').whereRaw(`(sess->'adminUser'->>'id')::int = ?`, [staffUserId]).delete();
}

/** Signs the member out everywhere: every session row that belongs to them is removed. */
export async function endMemberSessions(db: Db, memberId: number): Promise<number> {
  return db('member_sessions').whereRaw(`(sess->>'memberId')::int = ?`, [memberId]).delete();
}
