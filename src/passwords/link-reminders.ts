import type { AuditAction } from '../audit/audit-log.js';
import { inTransaction } from '../db/connection.js';
import { announceWhenCommitted, PRIORITY } from '../mail/queue.js';
import type { ServiceDeps } from '../services.js';
import { whyNoLinkSql } from './link-eligibility.js';

/**
 * A reminder before a first-time link runs out (issue #14): a member who has never set a password,
 * whose newest link is about to expire and who has not ordered again, gets one reminder mail with a
 * fresh link, and the old link stops working. Run by the background worker (src/background.ts), in
 * any number of processes at once.
 *
 * Due: an active member with an address and no password, in an association that has not turned
 * reminders off; the member's newest link is unused, unrevoked, not expired, not itself a reminder's,
 * its mail was sent, and it expires within LINK_REMINDER_HOURS — and at least half its lifetime has
 * passed. Without that last rule a short first-time lifetime (SET_PASSWORD_LINK_HOURS_FIRST of 24,
 * with the default window of 24) would put every link in the window the moment it is sent, and the
 * reminder would follow the first mail at once.
 */
const DUE = `
  l.member_id IS NOT NULL AND l.used_at IS NULL AND l.revoked_at IS NULL AND l.reminder_for IS NULL
  AND l.expires_at > now() AND l.expires_at <= now() + make_interval(hours => :windowHours)
  AND l.expires_at - now() <= now() - l.created_at
  AND q.status = 'sent'
  AND a.link_reminders
  AND ${whyNoLinkSql('m')} IS NULL
  AND NOT EXISTS (SELECT 1 FROM member_credentials c WHERE c.member_id = l.member_id)
  AND NOT EXISTS (SELECT 1 FROM set_password_links n WHERE n.member_id = l.member_id AND n.id > l.id)
  -- Ordered again: a newer link mail exists, even one still waiting to be sent (its link is made then).
  AND NOT EXISTS (
    SELECT 1 FROM mail_queue_members nm JOIN mail_queue nq ON nq.id = nm.mail_id
    WHERE nm.member_id = l.member_id AND nm.mail_id > l.mail_id AND nq.template IN ('set-password-link', 'link-reminder'))`;

/**
 * Claims due links (SKIP LOCKED: another process takes others), makes each its reminder's link and
 * revokes it. The reminder's link references the old one under a UNIQUE constraint: should two
 * processes ever reach one link, the second insert does nothing, and neither does its revocation.
 */
const CLAIM = `
  WITH due AS (
    SELECT l.id, l.member_id, l.mail_id
    FROM set_password_links l
    JOIN members m ON m.id = l.member_id
    JOIN associations a ON a.id = m.association_id
    JOIN mail_queue q ON q.id = l.mail_id
    WHERE ${DUE}
    ORDER BY l.expires_at
    LIMIT :limit
    FOR UPDATE OF l SKIP LOCKED),
  fresh AS (
    INSERT INTO set_password_links (member_id, reminder_for, expires_at)
    SELECT member_id, id, now() + make_interval(hours => :lifetimeHours) FROM due
    ON CONFLICT (reminder_for) DO NOTHING
    RETURNING id, member_id, reminder_for),
  replaced AS (
    UPDATE set_password_links o SET revoked_at = now(), revoked_reason = 'reminded'
    FROM fresh WHERE o.id = fresh.reminder_for)
  SELECT fresh.id AS link_id, fresh.member_id, due.mail_id AS first_mail_id
  FROM fresh JOIN due ON due.id = fresh.reminder_for`;

/**
 * One reminder mail per mail the old links came in: members sharing an address who got their links in
 * one mail are reminded in one mail too. In the members' own language when they have chosen one and
 * agree, else in the first mail's. The mail is queued after a member's own orders ('bulk'): nobody is
 * waiting for it. The reminder's links get the mail's id; the audit log records each member's reminder.
 */
const QUEUE = `
  WITH claimed AS (
    SELECT * FROM unnest(:linkIds::bigint[], :memberIds::int[], :firstMailIds::bigint[]) AS c(link_id, member_id, first_mail_id)),
  grouped AS (
    SELECT c.first_mail_id, min(q.to_address) AS to_address, array_agg(c.member_id ORDER BY c.member_id) AS member_ids,
      CASE WHEN bool_and(m.preferred_language IS NOT NULL) AND count(DISTINCT m.preferred_language) = 1
        THEN min(m.preferred_language) ELSE min(q.language) END AS language
    FROM claimed c JOIN members m ON m.id = c.member_id JOIN mail_queue q ON q.id = c.first_mail_id
    GROUP BY c.first_mail_id),
  mails AS (
    INSERT INTO mail_queue (template, to_address, language, data, priority)
    SELECT 'link-reminder', to_address, language, jsonb_build_object('memberIds', member_ids, 'firstMailId', first_mail_id), :priority
    FROM grouped
    RETURNING id, (data->>'firstMailId')::bigint AS first_mail_id),
  concerned AS (
    INSERT INTO mail_queue_members (mail_id, member_id)
    SELECT mails.id, c.member_id FROM mails JOIN claimed c USING (first_mail_id)),
  linked AS (
    UPDATE set_password_links l SET mail_id = mails.id
    FROM mails JOIN claimed c USING (first_mail_id) WHERE l.id = c.link_id),
  audited AS (
    INSERT INTO audit_log (actor_type, action, member_id, details)
    SELECT 'system', :action, c.member_id, jsonb_build_object('mailId', mails.id, 'firstMailId', c.first_mail_id)
    FROM mails JOIN claimed c USING (first_mail_id))
  SELECT count(*)::int AS mails FROM mails`;

const REMINDER_QUEUED: AuditAction = 'set-password-link.reminder-queued';

/**
 * Sends the reminders that are due, at most `limit` links per call, in one transaction: the old links
 * revoked, the new ones made, their mail queued and audited, or none of it. Returns how many members
 * were reminded. A link is reminded once, by whichever process claims it first; a stopped process
 * leaves nothing half done, and a restarted one finds only what is still due.
 */
export async function sendDueLinkReminders(deps: ServiceDeps, options: { limit?: number } = {}): Promise<number> {
  const windowHours = deps.config.linkReminderHours;
  if (windowHours === 0) return 0;
  return inTransaction(deps.db, async (trx) => {
    const claimed: Array<{ link_id: number; member_id: number; first_mail_id: number }> = (
      await trx.raw(CLAIM, { windowHours, limit: options.limit ?? 100, lifetimeHours: deps.config.linkHoursFirst })
    ).rows;
    if (claimed.length === 0) return 0;
    await trx.raw(QUEUE, {
      linkIds: claimed.map((c) => c.link_id),
      memberIds: claimed.map((c) => c.member_id),
      firstMailIds: claimed.map((c) => c.first_mail_id),
      priority: PRIORITY.bulk,
      action: REMINDER_QUEUED,
    });
    announceWhenCommitted(trx);
    return claimed.length;
  });
}
