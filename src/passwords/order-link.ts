import type { Knex } from 'knex';
import { auditInsertFrom, type ActorType } from '../audit/audit-log.js';
import { recordFailedOrder } from '../cases/file-case.js';
import { COMMIT_WITHOUT_WAITING, prepared } from '../db/connection.js';
import type { Language } from '../i18n/index.js';
import { announceWhenCommitted, mailInsertCtes, NEXT_MAIL_ID, PRIORITY, type MailPriority } from '../mail/queue.js';
import { linkableMembersByEmailQuery, type Member } from '../members/register.js';
import type { ServiceDeps } from '../services.js';
import { linkMailKey } from './link-eligibility.js';
import { counterConsume } from './throttles.js';

/** A link mail asked for: queued (perhaps without members over their allowance), or nobody is within it. */
export type LinkOutcome = { kind: 'queued'; mailId: number; members: number; overLimit: string[] } | { kind: 'tooMany'; retryAfterMs: number };

export type OrderOutcome = LinkOutcome | { kind: 'notFound' } | { kind: 'tooManyFromClient'; retryAfterMs: number };

/** A member's order on the portal's form. */
export interface OrderRequest {
  email: string;
  /** The language the person is using; used when the members sharing the address prefer different ones. */
  language: Language;
  /** Who is asking, as the order forms' per-client limit counts them (src/portal/forms.ts clientKey). */
  clientKey: string;
}

/** A link mail asked for by anyone: a member's order, staff picking members. */
export interface LinkRequest {
  /** The language of the page it was asked from; used when the members prefer different ones. */
  language: Language;
  actor: { type: ActorType; id?: number };
  /** 'bulk' for a staff send to many: sent after mail someone is waiting for. */
  priority?: MailPriority;
}

/**
 * «Tilaa uusi salasana»: one mail to the address, listing every active member who has it, each
 * with a link of their own (made when the mail is sent). No such member: a "user not found" case
 * for member services. Counted against the client's orders (the order forms' per-client limit) and
 * each member's link-mail allowance (src/passwords/throttles.ts holds both limits).
 */
export async function requestSetPasswordLink(deps: ServiceDeps, request: OrderRequest): Promise<OrderOutcome> {
  const { clientWait, members } = await countOrderAndFindMembers(deps, request);
  if (clientWait > 0) return { kind: 'tooManyFromClient', retryAfterMs: clientWait };
  if (members.length === 0) {
    await recordFailedOrder(deps.db, request.email);
    return { kind: 'notFound' };
  }
  return (await queueLinkMails(deps, [members], { language: request.language, actor: { type: 'public' } }))[0]!;
}

/**
 * The order counted against its client's orders, and the members with the address, in one statement
 * (a round trip and a commit fewer on every order); a client over the limit has nothing looked up.
 * The counter is all it writes: its commit does not wait for the disk (COMMIT_WITHOUT_WAITING). The
 * order's mail, queued next, is committed with the wait, and the counter's write with it.
 */
async function countOrderAndFindMembers(deps: ServiceDeps, request: OrderRequest): Promise<{ clientWait: number; members: Member[] }> {
  const { db, throttles } = deps;
  if ((db as Knex.Transaction).isTransaction) throw new Error('an order is counted in a statement of its own, not in a transaction');
  const limiter = throttles.ordersPerClient;
  const used = counterConsume(db, limiter, db.raw('SELECT ?::text AS key', [limiter.getKey(request.clientKey)]));
  const statement = db.raw(
    `WITH used AS (?)
     SELECT used.wait, (SELECT coalesce(json_agg(m ORDER BY m."memberNumber"), '[]') FROM ? AS m WHERE used.wait = 0) AS members
     FROM used, ${COMMIT_WITHOUT_WAITING}`,
    [used, linkableMembersByEmailQuery(db, request.email)],
  );
  const [row] = (await prepared('order-count-and-members', statement)).rows as Array<{ wait: string; members: Member[] }>;
  return { clientWait: Number(row!.wait), members: row!.members };
}

/**
 * One link mail per group of members sharing an address, for many groups at once (a staff send to
 * thousands comes here a slice at a time), in one statement (kept or lost whole, in a transaction or
 * not): each member uses one of their link-mail allowance — over it, they are left out of their
 * mail, and a group with nobody left gets none —; then every mail, its members and its audit rows.
 * The mail is in the members' own language when they have chosen one and agree, otherwise in the
 * language of the page the order came from. Outcomes in the order of the groups.
 */
export async function queueLinkMails(deps: ServiceDeps, groups: Member[][], request: LinkRequest): Promise<LinkOutcome[]> {
  const given = groups.flatMap((members, group) => members.map((member) => ({ group, member })));
  if (given.length === 0) return groups.map(() => ({ kind: 'tooMany', retryAfterMs: 0 }));
  const allowance = deps.throttles.linkMailsPerMember;
  // Each mail carries its members (member_ids), and their rows in mail_queue_members and the audit log
  // come from it: joined back to `judged` instead, the prepared statement's generic plan (which takes
  // the unnested arrays for ten rows and the mails for one) ran both as nested loops, 1,000 × 1,000 rows
  // for a slice of a staff send — two thirds of the statement's time.
  const statement = deps.db.raw(
    `WITH given AS (
       SELECT * FROM unnest(:groups::int[], :memberIds::int[], :memberNumbers::text[], :emails::text[], :languages::text[], :keys::text[])
         WITH ORDINALITY AS g(group_n, member_id, member_number, email, preferred_language, key, ord)),
     used AS (:used),
     judged AS (SELECT given.*, used.wait FROM given JOIN used USING (key)),
     mails AS MATERIALIZED (
       SELECT ${NEXT_MAIL_ID} AS id, j.* FROM (
         SELECT group_n, 'set-password-link' AS template, (array_agg(email ORDER BY ord))[1] AS to_address,
           CASE WHEN count(preferred_language) = count(*) AND count(DISTINCT preferred_language) = 1 THEN min(preferred_language) ELSE :language END AS language,
           jsonb_build_object('memberIds', jsonb_agg(member_id ORDER BY ord)) || :extraData::jsonb AS data, :priority::smallint AS priority,
           array_agg(member_id ORDER BY ord) AS member_ids
         FROM judged WHERE wait = 0 GROUP BY group_n ORDER BY group_n) AS j),
     ${mailInsertCtes('SELECT mails.id, unnest(mails.member_ids) FROM mails')},
     audited AS (${auditInsertFrom(`(SELECT :actorType::text, :actorId::int, 'set-password-link.queued', m.member_id, jsonb_build_object('mailId', mails.id)
         FROM mails CROSS JOIN LATERAL unnest(mails.member_ids) AS m(member_id)) AS e(actor_type, actor_id, action, member_id, details)`)})
     SELECT group_n, min(mails.id) AS mail_id, count(*) FILTER (WHERE wait = 0) AS members,
       coalesce(array_agg(member_number ORDER BY ord) FILTER (WHERE wait > 0), '{}') AS over_limit, max(wait) AS retry_after
     FROM judged LEFT JOIN mails USING (group_n) GROUP BY group_n`,
    {
      groups: given.map(({ group }) => group),
      memberIds: given.map(({ member }) => member.id),
      memberNumbers: given.map(({ member }) => member.memberNumber),
      emails: given.map(({ member }) => member.email),
      languages: given.map(({ member }) => member.preferredLanguage),
      keys: given.map(({ member }) => allowance.getKey(linkMailKey({ memberId: member.id }))),
      used: counterConsume(deps.db, allowance, deps.db.raw('SELECT key FROM given')),
      language: request.language,
      extraData: JSON.stringify(request.actor.type === 'staff' ? { sentByStaff: request.actor.id } : {}),
      priority: PRIORITY[request.priority ?? 'now'],
      actorType: request.actor.type,
      actorId: request.actor.id ?? null,
    },
  );
  const result = await prepared('link-mails-queue', statement);
  announceWhenCommitted(deps.db);
  const byGroup = new Map((result.rows as Array<{ group_n: number; mail_id: string | null; members: string; over_limit: string[]; retry_after: string }>).map((row) => [row.group_n, row]));
  return groups.map((_members, group): LinkOutcome => {
    const row = byGroup.get(group);
    if (!row) return { kind: 'tooMany', retryAfterMs: 0 };
    return row.mail_id === null ? { kind: 'tooMany', retryAfterMs: Number(row.retry_after) } : { kind: 'queued', mailId: Number(row.mail_id), members: Number(row.members), overLimit: row.over_limit };
  });
}
