import type { Knex } from 'knex';
import { writeAudit } from '../audit/audit-log.js';
import { inTransaction, type Db } from '../db/connection.js';
import { normaliseEmail } from '../members/email.js';
import { findMembersByIds, type Member } from '../members/register.js';
import { scopeMembers } from '../members/visibility.js';
import type { ServiceDeps } from '../services.js';
import { associationScope, type StaffPrincipal } from '../staff/principal.js';
import { sendSetPasswordLinks } from './order-link.js';

/**
 * Set-password links sent by staff: to chosen members, or to everyone (in the staff member's scope)
 * who has an address and no password yet. Starting a send only records who is to get a link
 * (`link_batches`, `link_batch_members`); the background worker turns the rows into mails a slice at
 * a time through the portal's own `sendSetPasswordLinks`, so a send to thousands neither times out
 * nor is lost when the process stops, and staff can follow its progress.
 */
export type LinkSelection = { memberIds: number[] } | 'awaiting-first-link';

/** Why a member gets no link from staff (null: they get one). The one rule, applied when planning and again when sending. */
const WHY_NO_LINK = `CASE WHEN m.membership_status <> 'active' THEN 'ended' WHEN m.email IS NULL THEN 'no-email' END`;

/** A claim older than this was left by a stopped worker and is taken over. */
const CLAIM_MINUTES = 5;
/** Rows (of the table or alias `t`) that wait for a worker: never claimed, or claimed by one that stopped. */
const pending = (t: string) => `(${t}.outcome IS NULL OR (${t}.outcome = 'sending' AND ${t}.claimed_at < now() - make_interval(mins => ${CLAIM_MINUTES})))`;

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
  return scopeMembers(query, staff, 'm.association_id');
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
    const [{ id }] = await trx('link_batches').insert({ staff_user_id: staff.id, association_id: associationScope(staff) }).returning('id');
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
    );
  return { planned: row.planned, preparing: row.preparing, linked: row.linked, tooMany: row.too_many, noEmail: row.no_email, ended: row.ended, skipped: row.skipped };
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
    mails,
    done: counts.preparing === 0 && mails.waiting === 0,
  };
}

/** Member numbers of a batch by outcome, for a notice naming who got no link and why. */
export async function outcomesByMember(db: Db, batchId: number): Promise<Record<string, string[]>> {
  const rows = await db('link_batch_members as b').join('members as m', 'm.id', 'b.member_id').where('b.batch_id', batchId).orderBy('m.member_number').select('b.outcome', 'm.member_number');
  const result: Record<string, string[]> = {};
  for (const row of rows) (result[row.outcome] ??= []).push(row.member_number);
  return result;
}

/**
 * Claims the next group of waiting members of one batch who share an address (they get one mail,
 * as in the portal). SKIP LOCKED lets several workers share the work.
 */
async function claimNextGroup(db: Db, batchId?: number): Promise<{ batchId: number; memberIds: number[] } | undefined> {
  const result = await db.raw(
    `WITH next AS (
       SELECT batch_id, address FROM link_batch_members w
       WHERE ${pending('w')} ${batchId === undefined ? '' : 'AND batch_id = ?'}
       ORDER BY batch_id, address
       LIMIT 1
       FOR UPDATE SKIP LOCKED)
     UPDATE link_batch_members b SET outcome = 'sending', claimed_at = now()
     FROM next
     WHERE b.batch_id = next.batch_id AND b.address IS NOT DISTINCT FROM next.address AND ${pending('b')}
     RETURNING b.batch_id, b.member_id`,
    batchId === undefined ? [] : [batchId],
  );
  if (result.rows.length === 0) return undefined;
  return { batchId: Number(result.rows[0].batch_id), memberIds: result.rows.map((row: { member_id: number }) => row.member_id) };
}

async function setOutcome(db: Db, batchId: number, memberIds: number[], outcome: string, mailId: number | null = null) {
  if (memberIds.length > 0) await db('link_batch_members').where({ batch_id: batchId }).whereIn('member_id', memberIds).update({ outcome, mail_id: mailId });
}

/** Sends one claimed group: the rule and the scope are checked again, since the register may have changed meanwhile. */
async function sendGroup(deps: ServiceDeps, group: { batchId: number; memberIds: number[] }) {
  const { db } = deps;
  const batch = await db('link_batches').where({ id: group.batchId }).first('staff_user_id', 'association_id');
  const current: Array<{ id: number; why_not: string | null; in_scope: boolean }> = await db('members as m')
    .whereIn('m.id', group.memberIds)
    .select('m.id', db.raw(`${WHY_NO_LINK} as why_not`), db.raw('(?::int IS NULL OR m.association_id = ?::int) as in_scope', [batch.association_id, batch.association_id]));
  const sendable = new Set(current.filter((m) => m.in_scope && m.why_not === null).map((m) => m.id));
  await setOutcome(db, group.batchId, current.filter((m) => !m.in_scope).map((m) => m.id), 'not-visible');
  for (const why of ['ended', 'no-email']) await setOutcome(db, group.batchId, current.filter((m) => m.in_scope && m.why_not === why).map((m) => m.id), why);

  const byAddress = new Map<string, Member[]>();
  for (const member of await findMembersByIds(db, [...sendable])) {
    const address = normaliseEmail(member.email!);
    byAddress.set(address, [...(byAddress.get(address) ?? []), member]);
  }
  for (const members of byAddress.values()) {
    const outcome = await sendSetPasswordLinks(deps, members, { language: members[0]!.preferredLanguage, actor: { type: 'staff', id: batch.staff_user_id } });
    const overLimit = new Set(outcome.kind === 'queued' ? outcome.overLimit : members.map((m) => m.memberNumber));
    await setOutcome(db, group.batchId, members.filter((m) => overLimit.has(m.memberNumber)).map((m) => m.id), 'too-many');
    if (outcome.kind === 'queued') await setOutcome(db, group.batchId, members.filter((m) => !overLimit.has(m.memberNumber)).map((m) => m.id), 'queued', outcome.mailId);
  }
}

/**
 * Turns waiting batch rows into queued mails, at most `maxGroups` addresses per call so that the
 * mail worker (and the portal's own mail) keep moving between slices. Returns how many addresses
 * were handled.
 */
export async function processLinkBatches(deps: ServiceDeps, options: { maxGroups?: number; batchId?: number } = {}): Promise<number> {
  const maxGroups = options.maxGroups ?? 50;
  let handled = 0;
  while (handled < maxGroups) {
    const group = await claimNextGroup(deps.db, options.batchId);
    if (!group) break;
    await sendGroup(deps, group);
    handled++;
  }
  return handled;
}

/** Finished sends are kept 30 days for their progress; who was sent what stays in the audit log and the mail list. */
export async function purgeFinishedLinkSends(db: Db): Promise<number> {
  return db('link_batches as b')
    .where('b.created_at', '<', db.raw(`now() - interval '30 days'`))
    .whereNotExists(db('link_batch_members as p').whereRaw('p.batch_id = b.id').where((q) => q.whereNull('p.outcome').orWhere('p.outcome', 'sending')))
    .delete();
}
