import type { Knex } from 'knex';
import { writeAudit } from '../audit/audit-log.js';
import { inTransaction, reasonOf, type Db } from '../db/connection.js';
import { refreshStaleStatistics } from '../db/statistics.js';
import { isDatabaseUnavailable } from '../db/unavailable.js';
import type { MailPriority } from '../mail/queue.js';
import { normaliseEmail } from '../members/email.js';
import { findVisibleMembers, type Member } from '../members/register.js';
import { DEFAULT_LANGUAGE } from '../i18n/index.js';
import type { ServiceDeps } from '../services.js';
import { findActiveStaff, type StaffPrincipal } from '../staff/principal.js';
import { associationOf, restrictToStaff } from '../staff/scope.js';
import { whyNoLink, whyNoLinkSql } from './link-eligibility.js';
import { queueLinkMails } from './order-link.js';

/**
 * Set-password links sent by staff: to chosen members, or to everyone (in the staff member's scope)
 * who has an address and no password yet. Starting a send only records who is to get a link
 * (`link_batches`, `link_batch_members`); the background worker turns the rows into mails a slice at
 * a time through the portal's own `queueLinkMails`, so a send to thousands neither times out
 * nor is lost when the process stops, and staff can follow its progress.
 */
export type LinkSelection = { memberIds: number[] } | 'awaiting-first-link';

const WHY_NO_LINK = whyNoLinkSql('m');

/** A claim older than this was left by a stopped worker and is taken over. */
const CLAIM_MINUTES = 5;
/** A group that failed this many times is given up, with its reason, so that a send always ends. */
export const MAX_GROUP_ATTEMPTS = 3;
/** Rows (of the table or alias `t`) that wait for a worker: never claimed or due again, or claimed by one that stopped. */
const pending = (t: string) =>
  `((${t}.outcome IS NULL AND (${t}.not_before IS NULL OR ${t}.not_before <= now())) OR (${t}.outcome = 'sending' AND ${t}.claimed_at < now() - make_interval(mins => ${CLAIM_MINUTES})))`;

/** What staff see before they confirm: how many get a link (in how many mails), and who does not. */
export interface LinkSendPreview {
  members: number;
  mails: number;
  noEmail: { count: number; sample: string[] };
  ended: { count: number; sample: string[] };
}

export interface LinkSendProgress {
  batchId: number;
  /** Members planned to get a link, and how many of them the worker has not reached yet. */
  members: number;
  preparing: number;
  linked: number;
  tooMany: number;
  /** Skipped when sending: the membership ended, the address was removed or the member moved away meanwhile. */
  skipped: number;
  /** Members whose link could not be prepared after every attempt (the reason is in the audit log). */
  failed: number;
  mails: { waiting: number; sent: number; failed: number };
  done: boolean;
}

const SAMPLE = 20;

function selectedMembers(db: Db | Knex.Transaction, staff: StaffPrincipal, selection: LinkSelection) {
  const query = db('members as m');
  if (selection === 'awaiting-first-link') {
    query.leftJoin('member_credentials as c', 'c.member_id', 'm.id').whereNull('c.member_id').whereNotNull('m.email').where('m.membership_status', 'active');
  } else {
    query.whereRaw('m.id = ANY(?::int[])', [selection.memberIds.filter(Number.isSafeInteger)]);
  }
  return restrictToStaff('members', query, staff, 'm');
}

/** The confirmation's numbers; nothing is queued or changed. */
export async function previewLinkSend(db: Db, staff: StaffPrincipal, selection: LinkSelection): Promise<LinkSendPreview> {
  const planned = selectedMembers(db, staff, selection).select('m.member_number', db.raw('lower(m.email) as address'), db.raw(`${WHY_NO_LINK} as why_not`));
  const row = await db
    .from(planned.as('p'))
    .first(
      db.raw('count(*) FILTER (WHERE why_not IS NULL)::int as members'),
      db.raw('count(DISTINCT address) FILTER (WHERE why_not IS NULL)::int as mails'),
      db.raw(`count(*) FILTER (WHERE why_not = 'no-email')::int as no_email`),
      db.raw(`(array_agg(member_number ORDER BY member_number) FILTER (WHERE why_not = 'no-email'))[1:${SAMPLE}] as no_email_sample`),
      db.raw(`count(*) FILTER (WHERE why_not = 'ended')::int as ended`),
      db.raw(`(array_agg(member_number ORDER BY member_number) FILTER (WHERE why_not = 'ended'))[1:${SAMPLE}] as ended_sample`),
    );
  return {
    members: row.members,
    mails: row.mails,
    noEmail: { count: row.no_email, sample: row.no_email_sample ?? [] },
    ended: { count: row.ended, sample: row.ended_sample ?? [] },
  };
}

/**
 * Records a send for the background worker and returns its id. Members without an address or with
 * an ended membership are recorded with that reason, so the progress and the audit log tell the
 * whole story; members this staff member may not see are not recorded at all.
 */
export async function startLinkSend(db: Db, staff: StaffPrincipal, selection: LinkSelection): Promise<number> {
  return inTransaction(db, async (trx) => {
    const [{ id }] = await trx('link_batches').insert({ staff_user_id: staff.id, association_id: associationOf(staff) }).returning('id');
    const batchId = Number(id);
    const rows = selectedMembers(trx, staff, selection).select(trx.raw('?::bigint', [batchId]), 'm.id', trx.raw('lower(m.email)'), trx.raw(WHY_NO_LINK));
    await trx.into(trx.raw('link_batch_members (batch_id, member_id, address, outcome)')).insert(rows);
    const counts = await outcomeCounts(trx, batchId);
    await writeAudit(trx, {
      actorType: 'staff',
      actorId: staff.id,
      action: 'set-password-link.batch-started',
      details: { batchId, selection: selection === 'awaiting-first-link' ? selection : 'selected', members: counts.planned, noEmail: counts.noEmail, ended: counts.ended },
    });
    return batchId;
  });
}

async function outcomeCounts(db: Db | Knex.Transaction, batchId: number) {
  const row = await db('link_batch_members')
    .where({ batch_id: batchId })
    .first(
      db.raw(`count(*) FILTER (WHERE outcome IS NULL OR outcome NOT IN ('no-email', 'ended') OR claimed_at IS NOT NULL)::int as planned`),
      db.raw(`count(*) FILTER (WHERE outcome IS NULL OR outcome = 'sending')::int as preparing`),
      db.raw(`count(*) FILTER (WHERE outcome = 'queued')::int as linked`),
      db.raw(`count(*) FILTER (WHERE outcome = 'too-many')::int as too_many`),
      db.raw(`count(*) FILTER (WHERE outcome = 'no-email' AND claimed_at IS NULL)::int as no_email`),
      db.raw(`count(*) FILTER (WHERE outcome = 'ended' AND claimed_at IS NULL)::int as ended`),
      db.raw(`count(*) FILTER (WHERE claimed_at IS NOT NULL AND outcome IN ('no-email', 'ended', 'not-visible'))::int as skipped`),
      db.raw(`count(*) FILTER (WHERE outcome = 'failed')::int as failed`),
    );
  return { planned: row.planned, preparing: row.preparing, linked: row.linked, tooMany: row.too_many, noEmail: row.no_email, ended: row.ended, skipped: row.skipped, failed: row.failed };
}

/** How a send started by this staff member is going; undefined for anyone else's send. */
export async function linkSendProgress(db: Db, staff: StaffPrincipal, batchId: number): Promise<LinkSendProgress | undefined> {
  if (!Number.isSafeInteger(batchId)) return undefined;
  const batch = await db('link_batches').where({ id: batchId, staff_user_id: staff.id }).first('id');
  if (!batch) return undefined;
  const counts = await outcomeCounts(db, batchId);
  const mailRows: Array<{ status: string; n: number }> = await db('mail_queue')
    .whereIn('id', db('link_batch_members').where({ batch_id: batchId }).whereNotNull('mail_id').distinct('mail_id'))
    .groupBy('status')
    .select('status', db.raw('count(*)::int as n'));
  const mails = { waiting: 0, sent: 0, failed: 0 };
  for (const { status, n } of mailRows) mails[status === 'sent' ? 'sent' : status === 'failed' ? 'failed' : 'waiting'] += n;
  return {
    batchId,
    members: counts.planned,
    preparing: counts.preparing,
    linked: counts.linked,
    tooMany: counts.tooMany,
    skipped: counts.skipped,
    failed: counts.failed,
    mails,
    done: counts.preparing === 0 && mails.waiting === 0,
  };
}

/**
 * Claims the next waiting addresses of the batches (at most `limit` member rows' worth), each with
 * every waiting member who shares it (they get one mail, as in the portal), counting the attempt: one
 * statement a slice, not one an address. SKIP LOCKED lets several workers share the work. Pending rows
 * always have an address (members without one are recorded as 'no-email' when planned), so plain
 * equality lets the claim use the pending index.
 */
async function claimNextGroups(db: Db, limit: number, batchId?: number): Promise<ClaimedGroup[]> {
  const result = await db.raw(
    `WITH next AS (
       SELECT batch_id, address FROM link_batch_members w
       WHERE ${pending('w')} ${batchId === undefined ? '' : 'AND batch_id = ?'}
       ORDER BY batch_id, address
       LIMIT ?
       FOR UPDATE SKIP LOCKED)
     UPDATE link_batch_members b SET outcome = 'sending', claimed_at = now(), attempts = b.attempts + 1
     FROM (SELECT DISTINCT batch_id, address FROM next) n
     WHERE b.batch_id = n.batch_id AND b.address = n.address AND ${pending('b')}
     RETURNING b.batch_id, b.address, b.member_id, b.attempts`,
    batchId === undefined ? [limit] : [batchId, limit],
  );
  const groups = new Map<string, ClaimedGroup>();
  for (const row of result.rows as Array<{ batch_id: number; address: string; member_id: number; attempts: number }>) {
    const key = `${row.batch_id} ${row.address}`;
    const group = groups.get(key) ?? { batchId: Number(row.batch_id), memberIds: [], attempts: 0 };
    group.memberIds.push(row.member_id);
    group.attempts = Math.max(group.attempts, row.attempts);
    groups.set(key, group);
  }
  return [...groups.values()];
}

interface ClaimedGroup {
  batchId: number;
  memberIds: number[];
  attempts: number;
}

async function setOutcome(db: Db, batchId: number, memberIds: number[], outcome: string, mailId: number | null = null) {
  if (memberIds.length > 0) await db('link_batch_members').where({ batch_id: batchId }).whereIn('member_id', memberIds).update({ outcome, mail_id: mailId });
}

/**
 * Sends the claimed groups of one batch, in one transaction: the rule and the scope are checked
 * again, as the staff member who started the send has them now, since the register (or their
 * account) may have changed meanwhile; then one mail per address through the portal's own
 * `queueLinkMails`, and every row's outcome, a statement each rather than one per member. The mails
 * and the outcomes are kept or lost together, so a stale claim taken over later never mails a member twice.
 */
async function sendGroups(deps: ServiceDeps, batchId: number, groups: ClaimedGroup[], priority: MailPriority, starters: StarterLookup) {
  const staff = await starters(batchId);
  const memberIds = groups.flatMap((group) => group.memberIds);
  await deps.db.transaction(async (trx) => {
    const visible = staff ? await findVisibleMembers(trx, staff, memberIds) : [];
    const visibleIds = new Set(visible.map((m) => m.id));
    await setOutcome(trx, batchId, memberIds.filter((id) => !visibleIds.has(id)), 'not-visible');
    for (const why of ['ended', 'no-email'] as const) await setOutcome(trx, batchId, visible.filter((m) => whyNoLink(m) === why).map((m) => m.id), why);

    // Grouped by the address the members have now (it may have changed since the send was planned).
    const byAddress = new Map<string, Member[]>();
    for (const member of visible.filter((m) => whyNoLink(m) === null)) {
      const address = normaliseEmail(member.email!);
      byAddress.set(address, [...(byAddress.get(address) ?? []), member]);
    }
    const addressGroups = [...byAddress.values()];
    if (!staff || addressGroups.length === 0) return;
    const outcomes = await queueLinkMails({ ...deps, db: trx }, addressGroups, { language: DEFAULT_LANGUAGE, actor: { type: 'staff', id: staff.id }, priority });
    const tooMany: number[] = [];
    const queued: { memberIds: number[]; mailIds: number[] } = { memberIds: [], mailIds: [] };
    addressGroups.forEach((members, i) => {
      const outcome = outcomes[i]!;
      const overLimit = new Set(outcome.kind === 'queued' ? outcome.overLimit : members.map((m) => m.memberNumber));
      for (const member of members) {
        if (overLimit.has(member.memberNumber) || outcome.kind !== 'queued') tooMany.push(member.id);
        else {
          queued.memberIds.push(member.id);
          queued.mailIds.push(outcome.mailId);
        }
      }
    });
    await setOutcome(trx, batchId, tooMany, 'too-many');
    if (queued.memberIds.length > 0) {
      await trx.raw(
        `UPDATE link_batch_members b SET outcome = 'queued', mail_id = q.mail_id
         FROM unnest(?::int[], ?::bigint[]) AS q(member_id, mail_id)
         WHERE b.batch_id = ? AND b.member_id = q.member_id`,
        [queued.memberIds, queued.mailIds, batchId],
      );
    }
  });
}

/**
 * A group that failed: tried again after a pause (1, then 2 minutes), or after the last attempt
 * marked failed with its reason. Either way the worker goes on with other groups and with the mail.
 */
async function recordGroupFailure(deps: BackgroundLike, group: ClaimedGroup, error: unknown) {
  const reason = reasonOf(error).slice(0, 500);
  const final = group.attempts >= MAX_GROUP_ATTEMPTS;
  await deps.db('link_batch_members')
    .where({ batch_id: group.batchId, outcome: 'sending' })
    .whereIn('member_id', group.memberIds)
    .update({ outcome: final ? 'failed' : null, last_error: reason, not_before: final ? null : deps.db.raw(`now() + make_interval(mins => ?)`, [group.attempts]) });
  if (final) {
    await writeAudit(deps.db, { actorType: 'system', action: 'set-password-link.batch-group-failed', details: { batchId: group.batchId, members: group.memberIds.length, reason } });
  }
  deps.logger?.warn({ batchId: group.batchId, members: group.memberIds.length, attempt: group.attempts, final, reason }, final ? 'link send group failed' : 'link send group will be retried');
}

type BackgroundLike = ServiceDeps & { logger?: { warn(obj: object, msg: string): void } };

/** The staff member who started a batch, as they are now; looked up once per batch in one processLinkBatches call. */
type StarterLookup = (batchId: number) => Promise<StaffPrincipal | undefined>;

function starterLookup(db: Db): StarterLookup {
  const starters = new Map<number, Promise<StaffPrincipal | undefined>>();
  return (batchId) => {
    let starter = starters.get(batchId);
    if (!starter) {
      starter = db('link_batches')
        .where({ id: batchId })
        .first('staff_user_id')
        .then((batch) => (batch ? findActiveStaff(db, batch.staff_user_id) : undefined));
      starters.set(batchId, starter);
    }
    return starter;
  };
}


/**
 * Turns waiting batch rows into queued mails, at most `maxGroups` addresses per call so that the
 * mail worker (and the portal's own mail) keep moving between slices. A group that fails is
 * recorded and skipped, never thrown out of here. Returns how many addresses were handled.
 */
export async function processLinkBatches(
  deps: BackgroundLike,
  options: { maxGroups?: number; batchId?: number; priority?: MailPriority; signal?: AbortSignal } = {},
): Promise<number> {
  // Addresses claimed by one statement, then sent in one transaction (LINK_SEND_SLICE): a send to 30,000
  // is a few dozen transactions of about ten statements each, whatever the number of members in them.
  const slice = deps.config.linkSendSlice;
  const maxGroups = options.maxGroups ?? slice;
  // A send to many waits behind mail someone is waiting for; a link sent to one member at once does not.
  const priority = options.priority ?? 'bulk';
  const starters = starterLookup(deps.db);
  let handled = 0;
  while (handled < maxGroups && !options.signal?.aborted) {
    const groups = await claimNextGroups(deps.db, Math.min(slice, maxGroups - handled), options.batchId);
    if (groups.length === 0) break;
    // Every claimed group is handled, even when stopping: one left claimed would wait CLAIM_MINUTES.
    for (const [batchId, ofBatch] of groupBy(groups, (group) => group.batchId)) await sendOrRecord(deps, batchId, ofBatch, priority, starters);
    handled += groups.length;
    // The mail worker sends these mails meanwhile: its plans must know the tables have grown.
    await refreshStaleStatistics(deps.db);
  }
  return handled;
}

/**
 * The groups of one batch together; when that fails, each again on its own, so that one group's
 * problem fails only that group (recorded, tried again later). The database away for a moment is
 * nobody's fault: thrown on, not counted; the claims run out and the groups are tried again.
 */
async function sendOrRecord(deps: BackgroundLike, batchId: number, groups: ClaimedGroup[], priority: MailPriority, starters: StarterLookup) {
  try {
    await sendGroups(deps, batchId, groups, priority, starters);
    return;
  } catch (error) {
    if (isDatabaseUnavailable(error)) throw error;
    if (groups.length === 1) return recordGroupFailure(deps, groups[0]!, error);
  }
  for (const group of groups) await sendOrRecord(deps, batchId, [group], priority, starters);
}

function groupBy<T, K>(items: T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}
