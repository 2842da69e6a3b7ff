import type { Db } from '../db/connection.js';

/** Signs the member out everywhere: every session row that belongs to them is removed. */
export async function endMemberSessions(db: Db, memberId: number): Promise<number> {
  return db('member_sessions').whereRaw(`(sess->>'memberId')::int = ?`, [memberId]).delete();
}
