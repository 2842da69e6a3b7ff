import type { Language } from '../i18n/index.js';
import { normaliseEmail } from '../members/email.js';
import type { Member } from '../members/register.js';
import { visibleMembers } from '../members/visibility.js';
import type { ServiceDeps } from '../services.js';
import type { StaffPrincipal } from '../staff/principal.js';
import { sendSetPasswordLinks } from './order-link.js';

export interface StaffSendResult {
  queued: number;
  noEmail: string[];
  ended: string[];
  tooMany: string[];
  /** Ids asked for that this staff member may not see (or that do not exist). */
  notVisible: number;
}

/**
 * «Lähetä salasanalinkki» from the back-office: the same service and the same mail as the portal's
 * order form, one mail per address, in the members' language. Members without an email or with an
 * ended membership get no mail and are named in the result.
 */
export async function sendLinksForStaff(deps: ServiceDeps, staff: StaffPrincipal, memberIds: number[]): Promise<StaffSendResult> {
  const members = await visibleMembers(deps.db, staff, memberIds);
  const result: StaffSendResult = { queued: 0, noEmail: [], ended: [], tooMany: [], notVisible: new Set(memberIds).size - members.length };
  const byAddress = new Map<string, Member[]>();
  for (const member of members) {
    if (member.membershipStatus !== 'active') result.ended.push(member.memberNumber);
    else if (!member.email) result.noEmail.push(member.memberNumber);
    else byAddress.set(normaliseEmail(member.email), [...(byAddress.get(normaliseEmail(member.email)) ?? []), member]);
  }
  for (const group of byAddress.values()) {
    const language: Language = group[0]!.preferredLanguage;
    const outcome = await sendSetPasswordLinks(deps, group, { language, actor: { type: 'staff', id: staff.id } });
    if (outcome.kind === 'queued') {
      result.queued += outcome.members;
      result.tooMany.push(...outcome.overLimit);
    } else if (outcome.kind === 'tooMany') {
      result.tooMany.push(...group.map((m) => m.memberNumber));
    }
  }
  return result;
}

/** "Everyone in my association who has an email and no password yet" (federation: everyone). */
export async function membersAwaitingFirstLink(deps: ServiceDeps, staff: StaffPrincipal): Promise<number[]> {
  const query = deps.db('members as m')
    .leftJoin('member_credentials as c', 'c.member_id', 'm.id')
    .whereNull('c.member_id')
    .whereNotNull('m.email')
    .where('m.membership_status', 'active');
  if (staff.role === 'association') query.where('m.association_id', staff.associationId!);
  return (await query.orderBy('m.member_number').pluck('m.id')) as number[];
}
