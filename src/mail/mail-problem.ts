/**
 * A mail's failure (mail_queue.last_error) read for staff, wherever the back-office shows it: the
 * member's «Sähköpostien tila» (status-for-member.ts) and the «Sähköpostit» list
 * (admin/components/mail-reason.tsx, which runs in the browser: nothing here may import).
 */

/**
 * What staff should do about a mail that did not go: check the address with the member (the
 * receiving server does not know it), try later (the mailbox is full), nothing (a temporary fault:
 * it is retried by itself), send a new link if still needed (the member's address or membership
 * changed before it left), or ask the administrators (anything else).
 */
export type MailProblem = 'address-rejected' | 'mailbox-full' | 'temporary' | 'not-sendable' | 'unknown';

/** SMTP's enhanced status codes and replies, read as what to do (RFC 3463, RFC 5321). */
export function mailProblem(status: string, reason: string | null): MailProblem | null {
  if (status !== 'failed' && status !== 'retrying') return null;
  const text = reason ?? '';
  if (/\b(5\.2\.2|4\.2\.2|552)\b|mailbox (is )?full|quota/i.test(text)) return 'mailbox-full';
  if (/\b(5\.1\.\d|550|551|553)\b|user unknown|recipient address rejected|no such user|does not exist/i.test(text)) return 'address-rejected';
  if (/none of the members can get a link|no longer exists|no longer active/i.test(text)) return 'not-sendable';
  return status === 'retrying' ? 'temporary' : 'unknown';
}

/**
 * The sentence src/mail/transport.ts stores before the receiving server's reply when that server
 * refuses a mail for good. It is Finnish whatever the staff member's language, and says no more
 * than the status («failed») and the problem already do in their language, so it is not shown.
 */
export const PERMANENT_FAILURE_PREFIX = 'Vastaanottajan postipalvelin hylkäsi viestin pysyvästi: ';

/**
 * The receiving server's (or the network's) own words, shown under a detail for whoever needs them;
 * none for a mail that could not be made (its reason is our own note, and the problem says it all).
 */
export function serverWords(status: string, reason: string | null): string | null {
  const problem = mailProblem(status, reason);
  if (!problem || problem === 'not-sendable' || !reason) return null;
  return reason.startsWith(PERMANENT_FAILURE_PREFIX) ? reason.slice(PERMANENT_FAILURE_PREFIX.length) : reason;
}
