import type { Knex } from 'knex';
import type { Db } from '../db/connection.js';
import { whyNoLink, type NoLinkReason } from '../passwords/link-eligibility.js';
import type { StaffPrincipal } from '../staff/principal.js';
import { restrictToStaff } from '../staff/scope.js';

/** A member staff may choose when resolving a case: enough to choose right before anything changes. */
export interface MemberChoice {
  id: number;
  memberNumber: string;
  name: string;
  association: string;
  /** The member's current address, if any: resolving replaces it. */
  email: string | null;
  hasPassword: boolean;
  /** Why no link could be sent to this member with the case's address (null: one can). */
  whyNoLink: NoLinkReason | null;
  /** Why the member is suggested: the number or the name the requester gave, or an address that looks like the name. */
  reason: 'number' | 'name' | 'address' | 'search';
}

export interface CaseForChoices {
  member_number: string | null;
  name: string | null;
  address: string;
  association_id: number | null;
}

const LIMIT = 10;
const FOLD_FROM = 'äöåéèüáà';
const FOLD_TO = 'aoaeeuaa';
/** Names and addresses compared without case or accents: maija.meikalainen ~ Maija Meikäläinen. */
const foldedName = (m: string) => `translate(lower(${m}.first_name || ' ' || ${m}.last_name), '${FOLD_FROM}', '${FOLD_TO}')`;
const fold = (text: string) => [...text.toLowerCase()].map((c) => FOLD_TO[FOLD_FROM.indexOf(c)] ?? c).join('');

function choicesQuery(db: Db, staff: StaffPrincipal) {
  const query = db('members as m')
    .join('associations as a', 'a.id', 'm.association_id')
    .leftJoin('member_credentials as c', 'c.member_id', 'm.id')
    .select('m.id', 'm.member_number', 'm.first_name', 'm.last_name', 'm.email', 'm.membership_status', 'a.name as association', db.raw('(c.member_id IS NOT NULL) as has_password'));
  return restrictToStaff('members', query, staff, 'm');
}

type Row = { id: number; member_number: string; first_name: string; last_name: string; email: string | null; membership_status: 'active' | 'ended'; association: string; has_password: boolean };

/** `address` is the case's: whether a link can be sent once the member has it. */
function toChoice(row: Row, reason: MemberChoice['reason'], address: string): MemberChoice {
  return {
    id: row.id,
    memberNumber: row.member_number,
    name: `${row.first_name} ${row.last_name}`,
    association: row.association,
    email: row.email,
    hasPassword: row.has_password,
    whyNoLink: whyNoLink({ membershipStatus: row.membership_status, email: address }),
    reason,
  };
}

/**
 * Members to suggest for a case, best first: the number the requester typed, members whose name
 * resembles the name they typed, and members (of the requester's association when the number told
 * us, else of the staff member's scope) whose name resembles the address. Only members this staff
 * member may see.
 */
export async function suggestMembersForCase(db: Db, staff: StaffPrincipal, found: CaseForChoices): Promise<MemberChoice[]> {
  const choices: MemberChoice[] = [];
  const add = (rows: Row[], reason: MemberChoice['reason']) => {
    for (const row of rows) if (!choices.some((c) => c.id === row.id)) choices.push(toChoice(row, reason, found.address));
  };
  if (found.member_number) add(await choicesQuery(db, staff).where('m.member_number', found.member_number), 'number');
  if (found.name?.trim()) add(await resembling(choicesQuery(db, staff), db, fold(found.name.trim())), 'name');
  const localPart = fold(found.address.split('@')[0] ?? '').replace(/[._+-]+/g, ' ').replace(/\d+/g, ' ').trim();
  if (localPart.length >= 3) {
    const query = choicesQuery(db, staff);
    if (found.association_id !== null) query.where('m.association_id', found.association_id);
    add(await resembling(query, db, localPart), 'address');
  }
  return choices.slice(0, LIMIT);
}

/** The closest names first; pg_trgm's similarity on the folded full name. */
function resembling(query: Knex.QueryBuilder, db: Db, text: string): Promise<Row[]> {
  return query
    .whereRaw(`similarity(${foldedName('m')}, ?) >= 0.3`, [text])
    .orderByRaw(`similarity(${foldedName('m')}, ?) DESC, m.member_number`, [text])
    .limit(5);
}

/** What staff type in the search: a member number, (part of) an address, or (part of) a name. */
export async function searchMembersForCase(db: Db, staff: StaffPrincipal, found: Pick<CaseForChoices, 'address'>, typed: string): Promise<MemberChoice[]> {
  const text = typed.trim().slice(0, 100);
  if (text.length < 2) return [];
  const like = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const query = choicesQuery(db, staff).orderBy('m.last_name').orderBy('m.first_name').orderBy('m.member_number').limit(LIMIT);
  if (/^\d+$/.test(text)) query.whereILike('m.member_number', like);
  else query.where((q) => q.whereRaw(`(m.first_name || ' ' || m.last_name) ILIKE ?`, [like]).orWhereILike('m.email', like));
  return (await query).map((row: Row) => toChoice(row, 'search', found.address));
}
