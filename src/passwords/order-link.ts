import { writeAudits, type ActorType } from '../audit/audit-log.js';
import { recordFailedOrder } from '../cases/file-case.js';
import { inTransaction } from '../db/connection.js';
import type { Language } from '../i18n/index.js';
import { queueMails, type MailPriority } from '../mail/queue.js';
import { findLinkableMembersByEmail, type Member } from '../members/register.js';
import type { ServiceDeps } from '../services.js';
import { useLinkMailAllowances } from './link-eligibility.js';

export type OrderOutcome =
  | { kind: 'queued'; mailId: number; members: number; overLimit: string[] }
  | { kind: 'notFound' }
  | { kind: 'tooMany'; retryAfterMs: number };

export interface OrderRequest {
  email: string;
  /** The language the person is using; used when the members sharing the address prefer different ones. */
  language: Language;
  actor: { type: ActorType; id?: number };
  /** 'bulk' for a staff send to many: sent after mail someone is waiting for. */
  priority?: MailPriority;
}

/**
 * «Tilaa uusi salasana»: one mail to the address, listing every active member who has it, each
 * with a link of their own (made when the mail is sent). No such member: a "user not found" case
 * for member services. At most 5 link mails per member per hour.
 */
export async function requestSetPasswordLink(deps: ServiceDeps, request: OrderRequest): Promise<OrderOutcome> {
  const members = await findLinkableMembersByEmail(deps.db, request.email);
  if (members.length === 0) {
    if (request.actor.type === 'public') await recordFailedOrder(deps.db, request.email);
    return { kind: 'notFound' };
  }
  return sendSetPasswordLinks(deps, members, request);
}

/** The members must share one address; the portal finds them by it, staff pick them. */
export async function sendSetPasswordLinks(deps: ServiceDeps, members: Member[], request: Omit<OrderRequest, 'email'>): Promise<OrderOutcome> {
  // The allowance is used in the transaction of the mail it allows: kept or lost together.
  return inTransaction<OrderOutcome>(deps.db, async (trx) => (await queueLinkMails({ ...deps, db: trx }, [members], request))[0]!);
}

/**
 * One link mail per group of members sharing an address, for many groups at once (a staff send to
 * thousands comes here a slice at a time): each member uses one of their link-mail allowance (over
 * it, they are left out of their mail), then every mail, its members and its audit rows: one statement
 * each. Call it inside a transaction. Outcomes in the order of the groups.
 */
export async function queueLinkMails(deps: ServiceDeps, groups: Member[][], request: Omit<OrderRequest, 'email'>): Promise<OrderOutcome[]> {
  const waits = await useLinkMailAllowances(deps, groups.flat().map((member) => ({ memberId: member.id })));
  let next = 0;
  const planned: Array<{ allowed: Member[]; overLimit: string[]; retryAfterMs: number }> = [];
  for (const members of groups) {
    const plan = { allowed: [] as Member[], overLimit: [] as string[], retryAfterMs: 0 };
    for (const member of members) {
      const wait = waits[next++]!;
      if (wait === 0) plan.allowed.push(member);
      else {
        plan.overLimit.push(member.memberNumber);
        plan.retryAfterMs = Math.max(plan.retryAfterMs, wait);
      }
    }
    planned.push(plan);
  }
  const sending = planned.filter((plan) => plan.allowed.length > 0);
  const sentByStaff = request.actor.type === 'staff' ? { sentByStaff: request.actor.id } : {};
  const mailIds = await queueMails(
    deps.db,
    sending.map(({ allowed }) => {
      const memberIds = allowed.map((member) => member.id);
      return { template: 'set-password-link', to: allowed[0]!.email!, language: mailLanguage(allowed, request.language), data: { memberIds, ...sentByStaff }, memberIds, priority: request.priority };
    }),
  );
  const mailIdOf = new Map(sending.map((plan, i) => [plan, mailIds[i]!]));
  await writeAudits(
    deps.db,
    sending.flatMap((plan) => plan.allowed.map((member) => ({ actorType: request.actor.type, actorId: request.actor.id, action: 'set-password-link.queued' as const, memberId: member.id, details: { mailId: mailIdOf.get(plan) } }))),
  );
  return planned.map((plan): OrderOutcome => {
    const mailId = mailIdOf.get(plan);
    return mailId === undefined ? { kind: 'tooMany', retryAfterMs: plan.retryAfterMs } : { kind: 'queued', mailId, members: plan.allowed.length, overLimit: plan.overLimit };
  });
}

/** The members' own language when they have chosen one and agree; otherwise the language of the page the order came from. */
function mailLanguage(members: Member[], requested: Language): Language {
  const languages = new Set(members.map((member) => member.preferredLanguage));
  return (languages.size === 1 && members[0]!.preferredLanguage) || requested;
}
