import type { Member } from '../members/register.js';
import type { ServiceDeps } from '../services.js';
import type { LinkOwner } from './links.js';
import { consumeOneOrWait } from './throttles.js';

/**
 * Who can get a set-password link: an active member with an address, not over the limit of link
 * mails. The first two conditions are written once here and turned both into SQL (bulk previews,
 * the portal's lookup by address, the worker's re-check) and into code (one member, the mail
 * composer); test/unit/link-eligibility agrees the two on every combination.
 */
export type NoLinkReason = 'ended' | 'no-email';

interface Condition {
  reason: NoLinkReason;
  /** True in SQL when the member (table alias `m`) gets no link for this reason. */
  sql: (m: string) => string;
  holds: (member: Pick<Member, 'membershipStatus' | 'email'>) => boolean;
}

const NO_LINK_WHEN: Condition[] = [
  { reason: 'ended', sql: (m) => `${m}.membership_status <> 'active'`, holds: (member) => member.membershipStatus !== 'active' },
  { reason: 'no-email', sql: (m) => `${m}.email IS NULL`, holds: (member) => !member.email },
];

/** An SQL expression: the reason the member under alias `m` gets no link, or NULL when they can get one. */
export function whyNoLinkSql(m = 'm'): string {
  return `(CASE ${NO_LINK_WHEN.map((c) => `WHEN ${c.sql(m)} THEN '${c.reason}'`).join(' ')} END)`;
}

/** The same rule for one member in hand. */
export function whyNoLink(member: Pick<Member, 'membershipStatus' | 'email'>): NoLinkReason | null {
  return NO_LINK_WHEN.find((c) => c.holds(member))?.reason ?? null;
}

/**
 * At most 5 link mails per account an hour, however they were asked for (a member's order, staff, a
 * staff member's «Unohditko salasanan?», a resent invitation): uses one, or says how long to wait (ms).
 * Inside a transaction the use is counted in it, so a mail that is never queued (rolled back, or its
 * process killed before the commit) uses none of the allowance. Staff accounts count under keys of
 * their own, apart from member ids. (A link order counts its members' use in the statement that queues
 * its mail: order-link.ts.)
 */
export function useLinkMailAllowance(deps: ServiceDeps, owner: LinkOwner): Promise<number> {
  return consumeOneOrWait(deps.db, deps.throttles.linkMailsPerMember, linkMailKey(owner));
}

/** The allowance's counter for an account (before the limiter's prefix): staff apart from member ids. */
export function linkMailKey(owner: LinkOwner): string {
  return 'memberId' in owner ? String(owner.memberId) : `staff:${owner.staffUserId}`;
}
