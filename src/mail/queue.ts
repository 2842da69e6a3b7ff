import type { Db } from '../db/connection.js';
import type { Language } from '../i18n/index.js';

export type MailTemplate = 'set-password-link' | 'password-changed' | 'staff-invitation' | 'staff-password-reset' | 'link-reminder';

/**
 * 'now': someone is waiting for it (a member's own order, a notice, one link sent by staff, an
 * invitation). 'bulk': a staff send to many. The worker sends every 'now' mail before any 'bulk' one.
 */
export type MailPriority = 'now' | 'bulk';
/** As stored in mail_queue.priority (lower goes first); exported for mail queued in SQL (link-reminders.ts). */
export const PRIORITY: Record<MailPriority, number> = { now: 0, bulk: 1 };

export interface QueuedMail {
  template: MailTemplate;
  to: string;
  language: Language;
  /** What the message is built from at send time. Never a token, a link or a password. */
  data: Record<string, unknown>;
  memberIds?: number[];
  priority?: MailPriority;
}

/**
 * Puts a message in the queue; call it inside the transaction of what caused it, so the mail and
 * the change are kept or lost together. The worker sends it; no request waits for SMTP.
 */
export async function queueMail(db: Db, mail: QueuedMail): Promise<number> {
  const [id] = await queueMails(db, [mail]);
  return id!;
}

/** Many messages in two statements; their ids in the order given (PostgreSQL returns the rows of a multi-row VALUES in order). */
export async function queueMails(db: Db, mails: QueuedMail[]): Promise<number[]> {
  if (mails.length === 0) return [];
  const rows: Array<{ id: string | number }> = await db('mail_queue')
    .insert(mails.map((mail) => ({ template: mail.template, to_address: mail.to, language: mail.language, data: JSON.stringify(mail.data), priority: PRIORITY[mail.priority ?? 'now'] })))
    .returning('id');
  const ids = rows.map((row) => Number(row.id));
  const members = mails.flatMap((mail, i) => (mail.memberIds ?? []).map((memberId) => ({ mail_id: ids[i], member_id: memberId })));
  if (members.length > 0) await db('mail_queue_members').insert(members);
  return ids;
}
