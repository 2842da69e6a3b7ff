import { writeAudit, type ActorType } from '../audit/audit-log.js';
import { recordFailedOrder } from '../cases/file-case.js';
import { inTransaction } from '../db/connection.js';
import type { Language } from '../i18n/index.js';
import { queueMail, type MailPriority } from '../mail/queue.js';
import { findLinkableMembersByEmail, type Member } from '../members/register.js';
import type { ServiceDeps } from '../services.js';
import { useLinkMailAllowance } from './link-eligibility.js';

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
  return inTransaction<OrderOutcome>(deps.db, async (trx) => {
    const allowed: Member[] = [];
    const overLimit: string[] = [];
    let retryAfterMs = 0;
    for (const member of members) {
      const wait = await useLinkMailAllowance({ ...deps, db: trx }, { memberId: member.id });
      if (wait === 0) allowed.push(member);
      else {
        overLimit.push(member.memberNumber);
        retryAfterMs = Math.max(retryAfterMs, wait);
      }
    }
    if (allowed.length === 0) return { kind: 'tooMany', retryAfterMs };

    // The members' own language when they have chosen one and agree; otherwise the language of the page the order came from.
    const languages = new Set(allowed.map((member) => member.preferredLanguage));
    const language = (languages.size === 1 && allowed[0]!.preferredLanguage) || request.language;
    const memberIds = allowed.map((member) => member.id);
    const mailId = await queueMail(trx, { template: 'set-password-link', to: allowed[0]!.email!, language, data: { memberIds, ...(request.actor.type === 'staff' ? { sentByStaff: request.actor.id } : {}) }, memberIds, priority: request.priority });
    for (const member of allowed) {
      await writeAudit(trx, { actorType: request.actor.type, actorId: request.actor.id, action: 'set-password-link.queued', memberId: member.id, details: { mailId } });
    }
    return { kind: 'queued', mailId, members: allowed.length, overLimit };
  });
}
