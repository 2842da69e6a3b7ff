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
/**
 * Names and what staff or members typed are compared without case or accents (maija.meikalainen ~
 * Maija Meikäläinen, MEIKALAINEN ~ Meikäläinen), by this one folding: `foldedName` in SQL, `fold` for
 * the text compared with it. The suggestions and the search both use it.
 * Migration 017 indexes exactly `foldedName` (members_folded_name_trgm, pg_trgm): PostgreSQL uses the
 * index only for the very same expression, so a change here needs a migration that re-creates the index
 * (test/integration/case-member-search.test.ts fails until it does).
 */
const FOLD_FROM = 'äöåéèüáà';
const FOLD_TO = 'aoaeeuaa';
const foldedName = (m: string) => `translate(lower(${m}.first_name || ' ' || ${m}.last_name), '${FOLD_FROM}', '${FOLD_TO}')`;
const fold = (text: string) => [...text.toLowerCase()].map((c) => FOLD_TO[FOLD_FROM.indexOf(c)] ?? c).join('');
/** A LIKE pattern for values that contain `text` anywhere, its % _ and \\ taken literally. */
const containing = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

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

/**
 * The closest names first; pg_trgm's similarity on the folded full name, at least 0.3. The `%` operator
 * is that same test (similarity ≥ pg_trgm.similarity_threshold, 0.3 unless the server is configured
 * otherwise; this app never sets it) and lets the folded-name index of migration 017 find the
 * candidates, where similarity() alone read the whole register; the explicit 0.3 keeps the rule here.
 */
function resembling(query: Knex.QueryBuilder, db: Db, text: string): Promise<Row[]> {
  return query
    .whereRaw(`${foldedName('m')} % ?`, [text])
    .whereRaw(`similarity(${foldedName('m')}, ?) >= 0.3`, [text])
    .orderByRaw(`similarity(${foldedName('m')}, ?) DESC, m.member_number`, [text])
    .limit(5);
}

/**
 * What staff type in the search: a member number, (part of) an address, or (parts of) a name. A name
 * is matched without case or accents and in any word order: every word typed (split at spaces and
 * commas) must be in the member's folded «first last» name, so «Meikalainen Matti» and «Meikäläinen,
 * Matti» find Matti Meikäläinen. An address (with @) or a single word may also be part of the email.
 * Only members this staff member may see; the words use the folded-name trigram index of migration 017.
 */
export async function searchMembersForCase(db: Db, staff: StaffPrincipal, found: Pick<CaseForChoices, 'address'>, typed: string): Promise<MemberChoice[]> {
  const text = typed.trim().slice(0, 100);
  if (text.length < 2) return [];
  const query = choicesQuery(db, staff).orderBy('m.last_name').orderBy('m.first_name').orderBy('m.member_number').limit(LIMIT);
  if (/^\d+$/.test(text)) query.whereILike('m.member_number', containing(text));
  else {
    const words = fold(text).split(/[\s,]+/).filter((word) => word !== '');
    if (words.length === 0) return [];
    const byEmail = words.length === 1 || text.includes('@');
    query.where((match) => {
      match.where((name) => {
        for (const word of words) name.whereRaw(`${foldedName('m')} LIKE ?`, [containing(word)]);
      });
      if (byEmail) match.orWhereILike('m.email', containing(text));
    });
  }
  return (await query).map((row: Row) => toChoice(row, 'search', found.address));
}
