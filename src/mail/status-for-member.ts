import type { Db } from '../db/connection.js';

/**
 * What staff should do about a mail that did not go: check the address with the member (the
 * receiving server does not know it), try later (the mailbox is full), nothing (a temporary fault:
 * it is retried by itself), send a new link if still needed (the member's address or membership
 * changed before it left), or ask the administrators (anything else).
 */
export type MailProblem = 'address-rejected' | 'mailbox-full' | 'temporary' | 'not-sendable' | 'unknown';

export interface MailStatusLine {
  /** Times as ISO strings: the back-office formats them in the staff member's language. */
  created: string;
  template: string;
  status: 'queued' | 'sending' | 'sent' | 'retrying' | 'failed';
  sentAt: string | null;
  nextAttemptAt: string | null;
  problem: MailProblem | null;
  /** The server's own words, shown under a detail for whoever needs them. */
  rawReason: string | null;
  link: { state: 'used' | 'replaced' | 'expired' | 'valid'; at: string | null } | null;
}

/** SMTP's enhanced status codes and replies, read as what to do (RFC 3463, RFC 5321). */
export function mailProblem(status: string, reason: string | null): MailProblem | null {
  if (status !== 'failed' && status !== 'retrying') return null;
  const text = reason ?? '';
  if (/\b(5\.2\.2|4\.2\.2|552)\b|mailbox (is )?full|quota/i.test(text)) return 'mailbox-full';
  if (/\b(5\.1\.\d|550|551|553)\b|user unknown|recipient address rejected|no such user|does not exist/i.test(text)) return 'address-rejected';
  if (/none of the members can get a link|no longer exists|no longer active/i.test(text)) return 'not-sendable';
  return status === 'retrying' ? 'temporary' : 'unknown';
}

const iso = (date: Date | null) => (date ? new Date(date).toISOString() : null);

/**
 * A member's mail, newest first: queued, sent (when), retrying (when again, why), failed (why, and
 * what to do), and for link mails whether the link was used, has expired or is still valid. The
 * caller has already checked that the staff member may see this member.
 */
export async function mailStatusForMember(db: Db, memberId: number): Promise<MailStatusLine[]> {
  const mails = await db('mail_queue as q')
    .join('mail_queue_members as mm', 'mm.mail_id', 'q.id')
    .where('mm.member_id', memberId)
    .orderBy('q.id', 'desc')
    .limit(50)
    .select('q.id', 'q.template', 'q.status', 'q.sent_at', 'q.created_at', 'q.last_error', 'q.next_attempt_at');
  const links = await db('set_password_links').where({ member_id: memberId }).whereNotNull('mail_id').select('mail_id', 'used_at', 'revoked_at', 'revoked_reason', 'expires_at', db.raw('expires_at <= now() as expired'));
  return mails.map((mail) => {
    const link = links.find((l) => Number(l.mail_id) === Number(mail.id) && l.revoked_reason !== 'not-delivered');
    return {
      created: iso(mail.created_at)!,
      template: mail.template,
      status: mail.status,
      sentAt: iso(mail.sent_at),
      nextAttemptAt: mail.status === 'retrying' ? iso(mail.next_attempt_at) : null,
      problem: mailProblem(mail.status, mail.last_error),
      rawReason: mail.status === 'failed' || mail.status === 'retrying' ? mail.last_error : null,
      link: !link
        ? null
        : link.used_at ? { state: 'used', at: iso(link.used_at) }
        : link.revoked_at ? { state: 'replaced', at: iso(link.revoked_at) }
        : link.expired ? { state: 'expired', at: iso(link.expires_at) }
        : { state: 'valid', at: iso(link.expires_at) },
    };
  });
}
