/**
 * Where a member stands with the e-service, as staff act on it: one definition, used for the
 * dashboard's counts and for the member list's «Tilanne» filter that each count links to.
 */
export const MEMBER_STATES = ['password-set', 'link-waiting', 'no-link-yet', 'no-email', 'ended'] as const;
export type MemberState = (typeof MEMBER_STATES)[number];

const hasPassword = (m: string) => `EXISTS (SELECT 1 FROM member_credentials sc WHERE sc.member_id = ${m}.id)`;
const hasValidLink = (m: string) => `EXISTS (SELECT 1 FROM set_password_links sl WHERE sl.member_id = ${m}.id AND sl.used_at IS NULL AND sl.revoked_at IS NULL AND sl.expires_at > now())`;
const active = (m: string) => `${m}.membership_status = 'active'`;

/** True in SQL when the member (table alias `m`) is in the state. The states of active members exclude each other. */
export function memberStateSql(state: MemberState, m = 'm'): string {
  switch (state) {
    case 'password-set':
      return `(${active(m)} AND ${hasPassword(m)})`;
    case 'link-waiting':
      return `(${active(m)} AND NOT ${hasPassword(m)} AND ${hasValidLink(m)})`;
    case 'no-link-yet':
      return `(${active(m)} AND ${m}.email IS NOT NULL AND NOT ${hasPassword(m)} AND NOT ${hasValidLink(m)})`;
    case 'no-email':
      return `(${active(m)} AND ${m}.email IS NULL AND NOT ${hasPassword(m)} AND NOT ${hasValidLink(m)})`;
    case 'ended':
      return `(NOT ${active(m)})`;
  }
}
