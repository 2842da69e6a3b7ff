import type { Db } from '../db/connection.js';
import { mailProblem, serverWords, type MailProblem } from './mail-problem.js';

export { mailProblem, type MailProblem } from './mail-problem.js';

export interface MailStatusLine {
  /** Times as ISO strings: the back-office formats them in the staff member's language. */
  created: string;
  template: string;
  status: 'queued' | 'sending' | 'sent' | 'retrying' | 'failed';
  sentAt: string | null;
  nextAttemptAt: string | null;
  problem: MailProblem | null;
  /** The receiving server's own words (mail-problem.ts serverWords), shown under a detail for whoever needs them. */
  rawReason: string | null;
  link: { state: 'used' | 'reminded' | 'replaced' | 'expired' | 'valid'; at: string | null } | null;
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
      rawReason: serverWords(mail.status, mail.last_error),
      link: !link
        ? null
        : link.used_at ? { state: 'used', at: iso(link.used_at) }
        : link.revoked_reason === 'reminded' ? { state: 'reminded', at: iso(link.revoked_at) }
        : link.revoked_at ? { state: 'replaced', at: iso(link.revoked_at) }
        : link.expired ? { state: 'expired', at: iso(link.expires_at) }
        : { state: 'valid', at: iso(link.expires_at) },
    };
  });
}
