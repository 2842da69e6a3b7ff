import { prepared, type Db } from '../db/connection.js';

export type ActorType = 'member' | 'staff' | 'public' | 'system';

/**
 * Every event the audit log records, in one list: the back-office names each in plain words
 * (admin/locale `labels.action.*`) and offers them as a filter. A new event is added here first.
 */
export const AUDIT_ACTIONS = [
  'login.succeeded',
  'login.failed',
  'login.locked',
  'logout',
  'password.set-with-link',
  'staff.password-set-with-link',
  'set-password-link.queued',
  'set-password-link.batch-started',
  'set-password-link.batch-group-failed',
  'set-password-link.reminder-queued',
  'member.created',
  'member.updated',
  'member.email-changed',
  'member.email-change-effects',
  'member.membership-ended',
  'case.resolved',
  'case.closed',
  'staff.invited',
  'staff.updated',
  'staff.password-link-ordered',
  'staff.password-link-not-sent',
  'staff.invitation-resent',
  'staff.second-factor-enrolled',
  'staff.second-factor-succeeded',
  'staff.second-factor-failed',
  'staff.second-factor-recovery-code-used',
  'staff.second-factor-locked',
  'staff.second-factor-reset',
  'member.postal-address-changed',
  'activation.letter-made',
  'activation.code-used',
  'activation.code-failed',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  actorType: ActorType;
  actorId?: number | null;
  action: AuditAction;
  memberId?: number | null;
  /** Old and new values, counts, reasons: never a password, token or hash. */
  details?: Record<string, unknown>;
}

/**
 * Who did it, as people read it, stored with the row when it is written: a staff member's name and
 * address, a member's name and number. It stays true if the person is later renamed or removed,
 * and the back-office can filter by it.
 */
const ACTOR_LABEL = `CASE e.actor_type
  WHEN 'staff' THEN (SELECT s.name || ' <' || s.email || '>' FROM staff_users s WHERE s.id = e.actor_id)
  WHEN 'member' THEN (SELECT m.first_name || ' ' || m.last_name || ' (' || m.member_number || ')' FROM members m WHERE m.id = e.actor_id)
END`;

export async function writeAudit(db: Db, entry: AuditEntry): Promise<void> {
  await writeAudits(db, [entry]);
}

/**
 * Many rows in one statement (a staff send to thousands writes one per member), its values as one
 * array a column: the statement is the same for 1 row or 1,000, so PostgreSQL parses and binds it in
 * the same short time (a VALUES row each took ~12 ms for 250 rows).
 */
export async function writeAudits(db: Db, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await prepared('audit-insert', auditInsert(db, entries));
}

/** The INSERT of writeAudits, for a statement that writes its audit rows with what they record (a login's session). */
export function auditInsert(db: Db, entries: AuditEntry[]) {
  return db.raw(
    auditInsertFrom('unnest(:actorTypes::text[], :actorIds::int[], :actions::text[], :memberIds::int[], :details::jsonb[]) AS e(actor_type, actor_id, action, member_id, details)'),
    {
      actorTypes: entries.map((entry) => entry.actorType),
      actorIds: entries.map((entry) => entry.actorId ?? null),
      actions: entries.map((entry) => entry.action),
      memberIds: entries.map((entry) => entry.memberId ?? null),
      details: entries.map((entry) => JSON.stringify(entry.details ?? {})),
    },
  );
}

/**
 * The audit INSERT's SQL for rows made in the statement itself (a link order's rows carry the id of the
 * mail queued beside them): `source` is a FROM item aliased `e` with the columns actor_type, actor_id,
 * action, member_id and details (jsonb).
 */
export function auditInsertFrom(source: string): string {
  return `INSERT INTO audit_log (actor_type, actor_id, actor_label, action, member_id, details)
     SELECT e.actor_type, e.actor_id, ${ACTOR_LABEL}, e.action, e.member_id, e.details FROM ${source}`;
}
