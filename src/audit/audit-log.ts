import type { Db } from '../db/connection.js';

export type ActorType = 'member' | 'staff' | 'public' | 'system';

export interface AuditEntry {
  actorType: ActorType;
  actorId?: number | null;
  action: string;
  memberId?: number | null;
  /** Old and new values, counts, reasons: never a password, token or hash. */
  details?: Record<string, unknown>;
}

export async function writeAudit(db: Db, entry: AuditEntry): Promise<void> {
  await db('audit_log').insert({
    actor_type: entry.actorType,
    actor_id: entry.actorId ?? null,
    action: entry.action,
    member_id: entry.memberId ?? null,
    details: JSON.stringify(entry.details ?? {}),
  });
}
