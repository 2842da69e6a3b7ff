import { prepared, type Db } from '../db/connection.js';
import type { Language } from '../i18n/index.js';
import { whyNoLinkSql } from '../passwords/link-eligibility.js';
import { restrictToStaff } from '../staff/scope.js';
import type { StaffPrincipal } from '../staff/principal.js';
import { normaliseEmail } from './email.js';

export interface Member {
  id: number;
  memberNumber: string;
  firstName: string;
  lastName: string;
  email: string | null;
  associationId: number;
  associationName: string;
  associationEmail: string;
  associationPhone: string | null;
  membershipStatus: 'active' | 'ended';
  /** Null until the member or staff choose one. */
  preferredLanguage: Language | null;
  hasPassword: boolean;
}

function memberQuery(db: Db) {
  return db('members as m')
    .join('associations as a', 'a.id', 'm.association_id')
    .leftJoin('member_credentials as c', 'c.member_id', 'm.id')
    .select(
      'm.id',
      'm.member_number as memberNumber',
      'm.first_name as firstName',
      'm.last_name as lastName',
      'm.email',
      'm.association_id as associationId',
      'a.name as associationName',
      'a.contact_email as associationEmail',
      'a.contact_phone as associationPhone',
      'm.membership_status as membershipStatus',
      'm.preferred_language as preferredLanguage',
      db.raw('(c.member_id IS NOT NULL) as "hasPassword"'),
    );
}

/**
 * The members with this address who can get a set-password link, compared case-insensitively; several
 * may share one. A query, not its answer: a member's order reads it in the statement that counts the order.
 */
export function linkableMembersByEmailQuery(db: Db, email: string) {
  return memberQuery(db)
    .whereRaw('lower(m.email) = ?', [normaliseEmail(email)])
    .whereRaw(`${whyNoLinkSql('m')} IS NULL`)
    .orderBy('m.member_number');
}

export async function findMemberById(db: Db, id: number): Promise<Member | undefined> {
  return prepared('member-by-id', memberQuery(db).where('m.id', id).first());
}

export async function findMemberByNumber(db: Db, memberNumber: string): Promise<Member | undefined> {
  return memberQuery(db).where('m.member_number', memberNumber).first();
}

/** The query for the member with this number and their password hash (`passwordHash`): a login reads both with its counters. */
export function memberForLoginQuery(db: Db, memberNumber: string) {
  return memberQuery(db).select('c.password_hash as passwordHash').where('m.member_number', memberNumber);
}

/** A row of memberForLoginQuery as the member and their password hash (null when none is set). */
export function memberFromLoginRow(row: Record<string, unknown>): { member: Member; passwordHash: string | null } {
  const { passwordHash, ...member } = row as unknown as Member & { passwordHash: string | null };
  return { member, passwordHash: passwordHash ?? null };
}

// The ids as one array, not a placeholder each: a staff send's slice asks for 1,000 at a time.
const idIn = (ids: number[]) => ['m.id = ANY(?::int[])', [ids.filter(Number.isSafeInteger)]] as const;

export function findMembersByIds(db: Db, ids: number[]): Promise<Member[]> {
  return memberQuery(db).whereRaw(...idIn(ids)).orderBy('m.member_number');
}

/** The members among ids that this staff member may see; the others are simply not there. */
export function findVisibleMembers(db: Db, staff: StaffPrincipal, ids: number[]): Promise<Member[]> {
  return restrictToStaff('members', memberQuery(db).whereRaw(...idIn(ids)), staff, 'm').orderBy('m.member_number');
}

export const fullName = (member: Pick<Member, 'firstName' | 'lastName'>) => `${member.firstName} ${member.lastName}`;
