import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/connection.js';

/**
 * Set-password links. The token is 256 random bits, made when the mail is built for sending and
 * stored only as its SHA-256 hash. Opening a link reads it and uses nothing up; only setting the
 * password uses it (see set-password.ts).
 */

export type LinkOwner = { memberId: number } | { staffUserId: number };

export type LinkState =
  | { state: 'valid'; id: number; memberId: number | null; staffUserId: number | null; expiresAt: Date }
  | { state: 'expired'; forStaff: boolean }
  | { state: 'used'; forStaff: boolean }
  /** A member's first link, replaced by the fresh one a reminder mail brought (link-reminders.ts). */
  | { state: 'replaced' }
  | { state: 'unknown' };

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

export function isWellFormedToken(token: string): boolean {
  return TOKEN_SHAPE.test(token);
}

export async function issueLink(db: Db, owner: LinkOwner, validHours: number, mailId: number | null): Promise<{ token: string; expiresAt: Date }> {
  const [issued] = await issueLinks(db, [{ owner, validHours, mailId }]);
  return issued!;
}

/** Several links in one statement (a batch of mails being built for sending), in the order asked. */
export async function issueLinks(db: Db, requests: Array<{ owner: LinkOwner; validHours: number; mailId: number | null }>): Promise<Array<{ token: string; expiresAt: Date }>> {
  if (requests.length === 0) return [];
  const tokens = requests.map(() => randomBytes(32).toString('base64url'));
  const hashes = tokens.map(hashToken);
  const rows: Array<{ token_hash: Buffer; expires_at: Date }> = await db('set_password_links')
    .insert(
      requests.map(({ owner, validHours, mailId }, i) => ({
        token_hash: hashes[i],
        member_id: 'memberId' in owner ? owner.memberId : null,
        staff_user_id: 'staffUserId' in owner ? owner.staffUserId : null,
        mail_id: mailId,
        expires_at: db.raw(`now() + make_interval(hours => ?)`, [validHours]),
      })),
    )
    .returning(['token_hash', 'expires_at']);
  // Matched by hash: RETURNING promises no order.
  const expiry = new Map(rows.map((row) => [row.token_hash.toString('hex'), row.expires_at]));
  return tokens.map((token, i) => ({ token, expiresAt: expiry.get(hashes[i]!.toString('hex'))! }));
}

export async function inspectLink(db: Db, token: string): Promise<LinkState> {
  if (!isWellFormedToken(token)) return { state: 'unknown' };
  const row = await db('set_password_links')
    .where({ token_hash: hashToken(token) })
    .first('id', 'member_id', 'staff_user_id', 'expires_at', 'used_at', 'revoked_at', 'revoked_reason', db.raw('expires_at <= now() as expired'));
  if (!row) return { state: 'unknown' };
  // A dead link still says whose kind it was: a staff member is sent to the staff page, not the members' order form.
  const forStaff = row.staff_user_id !== null;
  if (!row.used_at && row.revoked_reason === 'reminded') return { state: 'replaced' };
  if (row.used_at || row.revoked_at) return { state: 'used', forStaff };
  if (row.expired) return { state: 'expired', forStaff };
  return { state: 'valid', id: Number(row.id), memberId: row.member_id, staffUserId: row.staff_user_id, expiresAt: row.expires_at };
}

/**
 * Marks the link used if, and only if, it is still valid. The row lock taken by UPDATE makes
 * concurrent submissions of one link queue up: exactly one of them gets the row back.
 */
export async function claimLink(trx: Db, token: string): Promise<{ memberId: number | null; staffUserId: number | null } | undefined> {
  const [row] = await trx('set_password_links')
    .where({ token_hash: hashToken(token) })
    .whereNull('used_at')
    .whereNull('revoked_at')
    .where('expires_at', '>', trx.fn.now())
    .update({ used_at: trx.fn.now() })
    .returning(['member_id', 'staff_user_id']);
  return row ? { memberId: row.member_id, staffUserId: row.staff_user_id } : undefined;
}

/** Every other outstanding link of the owner stops working (a password was set, or the account changed). */
export async function revokeOutstandingLinks(trx: Db, owner: LinkOwner, reason: 'password-set' | 'account-changed'): Promise<number> {
  return trx('set_password_links')
    .where('memberId' in owner ? { member_id: owner.memberId } : { staff_user_id: owner.staffUserId })
    .whereNull('used_at')
    .whereNull('revoked_at')
    .update({ revoked_at: trx.fn.now(), revoked_reason: reason });
}

/** Links made for a mail that was then not delivered: nobody holds their tokens, so close them. */
export async function revokeUndeliveredLinks(db: Db, mailId: number): Promise<void> {
  await db('set_password_links').where({ mail_id: mailId }).whereNull('used_at').whereNull('revoked_at').update({ revoked_at: db.fn.now(), revoked_reason: 'not-delivered' });
}

/**
 * A reminder's link (link-reminders.ts) is made with the reminder but has no token until its mail is
 * built for sending, like every link: here. Each attempt to send the mail gives the link a new token
 * and its full lifetime from now; a token made for an attempt that was not delivered (revoked as
 * 'not-delivered') is replaced, so the link works again, with the new token only. Undefined when the
 * link is no longer waiting (used, or revoked for another reason: a password was set, the address changed).
 */
export async function keyReminderLink(db: Db, mailId: number, memberId: number, validHours: number): Promise<{ token: string; expiresAt: Date } | undefined> {
  const token = randomBytes(32).toString('base64url');
  const [row] = await db('set_password_links')
    .where({ mail_id: mailId, member_id: memberId })
    .whereNotNull('reminder_for')
    .whereNull('used_at')
    .where((q) => q.whereNull('revoked_at').orWhere('revoked_reason', 'not-delivered'))
    .update({
      token_hash: hashToken(token),
      revoked_at: null,
      revoked_reason: null,
      // The mail worker counts the lifetime from created_at when the mail leaves (worker.ts recordSent).
      created_at: db.fn.now(),
      expires_at: db.raw(`now() + make_interval(hours => ?)`, [validHours]),
    })
    .returning('expires_at');
  return row ? { token, expiresAt: row.expires_at } : undefined;
}
