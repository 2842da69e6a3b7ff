import { writeAudit } from '../audit/audit-log.js';
import type { Db } from '../db/connection.js';
import type { Language } from '../i18n/index.js';
import { queueMail } from '../mail/queue.js';
import { normaliseEmail } from '../members/email.js';
import { findMemberById, memberForLoginQuery, memberFromLoginRow, type Member } from '../members/register.js';
import type { ServiceDeps } from '../services.js';
import { endMemberSessions, endStaffSessions } from '../sessions/end-sessions.js';
import { asPrincipal, type StaffPrincipal } from '../staff/principal.js';
import { revokeActivationCodes } from './activation-codes.js';
import type { LinkOwner } from './links.js';
import type { LoginAccounts } from './login.js';
import type { PasswordContext } from './policy.js';

/**
 * The two kinds of account that have a password: members and staff. Everything that differs between
 * them is here, once, for both the login check (src/passwords/login.ts) and setting a password with
 * a link (src/passwords/set-password.ts); those algorithms are written once for both.
 */

/** A set-password link names its owner in one of these columns. */
export interface LinkOwnerIds {
  memberId: number | null;
  staffUserId: number | null;
}

/** The account a link sets a password for, as setting it needs to know it. */
export interface LinkAccount {
  kind: 'member' | 'staff';
  id: number;
  /** What the person logs in with, shown read-only above the password field. */
  username: string;
  passwordContext: PasswordContext;
}

export interface AccountKind<A> extends LoginAccounts<A> {
  ownerId(link: LinkOwnerIds): number | null;
  linkOwner(id: number): LinkOwner;
  /** The owner if the account is still active: a link of an ended membership does nothing. */
  findActive(deps: ServiceDeps, id: number): Promise<LinkAccount | undefined>;
  /** Inside the claiming transaction, after the other links were closed; `language` is the page's, for a member who has chosen none. */
  storePassword(trx: Db, account: LinkAccount, passwordHash: string, otherLinksClosed: number, language: Language): Promise<void>;
}

const asMemberNumber = (identifier: string) => (/^\d{1,12}$/.test(identifier.trim()) ? identifier.trim() : undefined);

/** Members log in with their member number; anything but digits is counted apart and never looked up. */
export const memberAccounts: AccountKind<Member> = {
  name: 'member',
  throttleKey: (identifier) => asMemberNumber(identifier) ?? `invalid:${identifier.trim().slice(0, 40)}`,

  loginQuery(db, identifier) {
    const number = asMemberNumber(identifier);
    return number === undefined ? undefined : memberForLoginQuery(db, number);
  },

  loginAccount(row) {
    const { member, passwordHash } = memberFromLoginRow(row);
    return { account: member, active: member.membershipStatus === 'active', passwordHash };
  },

  auditSubject: (member) => ({ actorType: 'member', actorId: member.id, memberId: member.id }),

  ownerId: (link) => link.memberId,
  linkOwner: (id) => ({ memberId: id }),

  async findActive(deps, id) {
    const member = await findMemberById(deps.db, id);
    if (!member || member.membershipStatus !== 'active') return undefined;
    const passwordContext = { memberNumber: member.memberNumber, names: [member.firstName, member.lastName], email: member.email, federationName: deps.config.federationName };
    return { kind: 'member', id: member.id, username: member.memberNumber, passwordContext };
  },

  async storePassword(trx, account, passwordHash, otherLinksClosed, language) {
    await trx('member_credentials').insert({ member_id: account.id, password_hash: passwordHash, password_changed_at: trx.fn.now() }).onConflict('member_id').merge();
    await revokeActivationCodes(trx, account.id, 'password-set'); // a printed letter's code must not set another one
    const sessionsEnded = await endMemberSessions(trx, account.id);
    // Read in the transaction: the address and language the "changed" notice goes to are those of now.
    const member = await findMemberById(trx, account.id);
    if (member?.email) {
      await queueMail(trx, { template: 'password-changed', to: member.email, language: member.preferredLanguage ?? language, data: { memberId: account.id }, memberIds: [account.id] });
    }
    await writeAudit(trx, { actorType: 'member', actorId: account.id, action: 'password.set-with-link', memberId: account.id, details: { otherLinksClosed, sessionsEnded } });
  },
};

/** Staff login counters are keyed by the address, apart from the members' numeric keys. */
export function staffThrottleKey(email: string): string {
  return `staff:${normaliseEmail(email).slice(0, 254)}`;
}

/**
 * Staff log in with their email address. They get no trusted-device cookie and so no exemption from
 * the per-address limit: their login is separate (its own session and cookie) and stricter, and the
 * few staff behind one address can wait out a block where a whole care home of members cannot.
 */
export const staffAccounts: AccountKind<StaffPrincipal> = {
  name: 'staff',
  throttleKey: staffThrottleKey,

  loginQuery(db, identifier) {
    const email = normaliseEmail(identifier).slice(0, 254);
    if (!email) return undefined;
    return db('staff_users as s')
      .leftJoin('staff_credentials as c', 'c.staff_user_id', 's.id')
      .whereRaw('lower(s.email) = ?', [email])
      .select('s.id', 's.email', 's.name', 's.role', 's.association_id', 's.active', 'c.password_hash');
  },

  loginAccount(row) {
    // Built as every staff principal is, failing closed: a row that is not a well-formed principal logs no one in.
    const staff = asPrincipal({ id: row.id, email: row.email, name: row.name, role: row.role, associationId: row.association_id });
    return staff && { account: staff, active: Boolean(row.active), passwordHash: (row.password_hash as string | null) ?? null };
  },

  auditSubject: (staff) => ({ actorType: 'staff', actorId: staff.id }),

  ownerId: (link) => link.staffUserId,
  linkOwner: (id) => ({ staffUserId: id }),

  async findActive(deps, id) {
    const staff = await deps.db('staff_users').where({ id, active: true }).first('id', 'email', 'name');
    if (!staff) return undefined;
    const passwordContext = { names: [String(staff.name)], email: staff.email, federationName: deps.config.federationName };
    return { kind: 'staff', id: staff.id, username: staff.email, passwordContext };
  },

  async storePassword(trx, account, passwordHash, otherLinksClosed) {
    await trx('staff_credentials').insert({ staff_user_id: account.id, password_hash: passwordHash, password_changed_at: trx.fn.now() }).onConflict('staff_user_id').merge();
    const sessionsEnded = await endStaffSessions(trx, account.id);
    await writeAudit(trx, { actorType: 'staff', actorId: account.id, action: 'staff.password-set-with-link', details: { otherLinksClosed, sessionsEnded } });
  },
};

/** The kind of account a link belongs to, and the owner's id; undefined for a link with no owner. */
export function accountOfLink(link: LinkOwnerIds): { kind: AccountKind<unknown>; id: number } | undefined {
  for (const kind of [memberAccounts, staffAccounts] as AccountKind<unknown>[]) {
    const id = kind.ownerId(link);
    if (id !== null) return { kind, id };
  }
  return undefined;
}
