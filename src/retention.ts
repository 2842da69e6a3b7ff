import type { Knex } from 'knex';
import { pruneActorLabels } from './audit/actor-labels.js';
import type { Config } from './config.js';
import type { Db } from './db/connection.js';

/**
 * How long personal data is kept: mail (who was mailed, at which address), set-password links and
 * activation codes, staff link sends, the development mailbox, "user not found" cases, the audit log,
 * and expired sessions and rate-limit counters. The periods come from the configuration; the README
 * says why each default.
 *
 * Every purge deletes in small batches, each its own statement, so no purge holds locks on a busy table
 * for long. Any number of processes may purge at once: a batch locks its rows with SKIP LOCKED, so two
 * purges share the work instead of waiting on each other, and the lock re-checks the row's condition, so
 * a row that changed meanwhile (a link just used, a counter just renewed) is left alone.
 */

export const PURGE_BATCH_SIZE = 1000;

export type Retention = Pick<
  Config,
  'mailRetentionDays' | 'linkRetentionDays' | 'linkSendRetentionDays' | 'devMailboxRetentionDays' | 'caseRetentionDays' | 'auditRetentionDays'
>;

export interface PurgeCounts {
  sessions: number;
  counters: number;
  cases: number;
  linkSends: number;
  links: number;
  activationCodes: number;
  mail: number;
  devMailbox: number;
  audit: number;
  /** The audit log's actor labels no row has any more (src/audit/actor-labels.ts). */
  actorLabels: number;
}

/** Narrows a select over the purged table (columns unqualified, or qualified by the table's name) to the rows to remove. */
type Condition = (query: Knex.QueryBuilder) => void;

/**
 * Deletes the rows of `table` that meet `condition`, at most `batchSize` per statement, until a
 * statement removes fewer than that. A short batch may also mean that another process holds the rest;
 * it goes on with them, and what anyone left is taken on the next run. Returns how many rows went.
 */
export async function deleteInBatches(db: Db, table: string, key: string, condition: Condition, batchSize = PURGE_BATCH_SIZE): Promise<number> {
  let removed = 0;
  for (;;) {
    const batch = db(table).select(key).where(condition).limit(batchSize).forUpdate().skipLocked();
    // `= ANY(ARRAY(…))` runs the batch once and deletes through the primary key; `IN (…)` lets the planner
    // scan the whole table as soon as most of it is old.
    const count = await db(table).whereRaw('?? = ANY(ARRAY(?))', [key, batch]).delete();
    removed += count;
    if (count < batchSize) return removed;
  }
}

/** `now()` less so many days, in the database's clock (the one every stored time was taken with). */
const daysAgo = (db: Db, days: number) => db.raw('now() - make_interval(days => ?)', [days]);

/** Sent and failed mail made and ended over the period ago; its mail_queue_members rows cascade. Queued, retrying or sending mail never goes. */
export function purgeOldMail(db: Db, days: number, batchSize?: number): Promise<number> {
  return deleteInBatches(
    db,
    'mail_queue',
    'id',
    (q) =>
      q
        // Literal, not bound, so that the planner matches the partial index mail_queue_finished (migration 006-retention).
        .whereRaw(`status IN ('sent', 'failed')`)
        .where('created_at', '<', daysAgo(db, days))
        // A mail that waited long in the queue counts from when it left (or, failed, from its last attempt).
        .where(db.raw('coalesce(sent_at, next_attempt_at)'), '<', daysAgo(db, days)),
    batchSize,
  );
}

/** Links that ended (used, revoked or expired, whichever came first) over the period ago. A valid link never goes. */
export function purgeEndedLinks(db: Db, days: number, batchSize?: number): Promise<number> {
  // The expression of the index links_ended (migration 006-retention): keep the two identical.
  return deleteInBatches(db, 'set_password_links', 'id', (q) => q.where(db.raw('LEAST(used_at, revoked_at, expires_at)'), '<', daysAgo(db, days)), batchSize);
}

/**
 * Activation codes (printed letters, issue #14) that ended over the period ago, kept as long as
 * set-password links for the same reason: staff answer "was the letter used?" weeks later. A code
 * that still works never goes.
 */
export function purgeEndedActivationCodes(db: Db, days: number, batchSize?: number): Promise<number> {
  // The expression of the index activation_codes_ended (migration 016-letter-status): keep the two identical.
  return deleteInBatches(db, 'activation_codes', 'id', (q) => q.where(db.raw('LEAST(used_at, revoked_at, expires_at)'), '<', daysAgo(db, days)), batchSize);
}

/**
 * Staff link sends started over the period ago whose every member row is finished (none waiting for the
 * worker or claimed by it); their link_batch_members rows cascade. Who was sent what stays in the mail
 * list and the audit log. A finished row never becomes unfinished again, so the check cannot go stale.
 */
export function purgeFinishedLinkSends(db: Db, days: number, batchSize?: number): Promise<number> {
  return deleteInBatches(
    db,
    'link_batches',
    'id',
    (q) =>
      q
        .where('created_at', '<', daysAgo(db, days))
        .whereNotExists(db('link_batch_members as p').whereRaw('p.batch_id = link_batches.id').where((w) => w.whereNull('p.outcome').orWhere('p.outcome', 'sending'))),
    batchSize,
  );
}

/** Rows of a table with a `created_at` (or other) time older than the period. */
export function purgeOlderThan(db: Db, table: string, column: string, days: number, batchSize?: number): Promise<number> {
  return deleteInBatches(db, table, 'id', (q) => q.where(column, '<', daysAgo(db, days)), batchSize);
}

/** "User not found" cases whose last activity (the last attempt, or being resolved) is over the period ago. */
export function purgeOldCases(db: Db, days: number, batchSize?: number): Promise<number> {
  return deleteInBatches(db, 'not_found_cases', 'id', (q) => q.where(db.raw('GREATEST(last_attempt_at, resolved_at)'), '<', daysAgo(db, days)), batchSize);
}

/** Member and staff sessions past their expiry (connect-pg-simple's `expire`, indexed). */
export async function purgeExpiredSessions(db: Db, batchSize?: number): Promise<number> {
  let removed = 0;
  for (const table of ['member_sessions', 'staff_sessions']) {
    removed += await deleteInBatches(db, table, 'sid', (q) => q.where('expire', '<', db.fn.now()), batchSize);
  }
  return removed;
}

/**
 * Rate-limit counters past their expiry. rate-limiter-flexible writes `expire` in milliseconds of the
 * app's clock. No index: live rows are only the keys used within the last hour or so (the longest
 * window), so the table stays small when this runs every 10 minutes.
 */
export function purgeExpiredCounters(db: Db, batchSize?: number): Promise<number> {
  return deleteInBatches(db, 'rate_limits', 'key', (q) => q.where('expire', '<', Date.now()), batchSize);
}

/**
 * Everything past its retention, in an order that leaves the least for later purges to touch: link
 * sends and links before the mail they refer to (deleting a mail sets their mail_id to null).
 */
export async function purgeExpiredData(db: Db, retention: Retention, batchSize?: number): Promise<PurgeCounts> {
  const sessions = await purgeExpiredSessions(db, batchSize);
  const counters = await purgeExpiredCounters(db, batchSize);
  const cases = await purgeOldCases(db, retention.caseRetentionDays, batchSize);
  const linkSends = await purgeFinishedLinkSends(db, retention.linkSendRetentionDays, batchSize);
  const links = await purgeEndedLinks(db, retention.linkRetentionDays, batchSize);
  const activationCodes = await purgeEndedActivationCodes(db, retention.linkRetentionDays, batchSize);
  const mail = await purgeOldMail(db, retention.mailRetentionDays, batchSize);
  const devMailbox = await purgeOlderThan(db, 'dev_mailbox', 'created_at', retention.devMailboxRetentionDays, batchSize);
  const audit = await purgeOlderThan(db, 'audit_log', 'at', retention.auditRetentionDays, batchSize);
  const actorLabels = audit > 0 ? await pruneActorLabels(db) : 0;
  return { sessions, counters, cases, linkSends, links, activationCodes, mail, devMailbox, audit, actorLabels };
}
