import type { Knex } from 'knex';
import { prepared, type Db } from '../db/connection.js';
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

/** A new mail's id, drawn before the INSERT so that its members (and audit rows) can name it in the same statement. */
export const NEXT_MAIL_ID = `nextval(pg_get_serial_sequence('mail_queue', 'id'))`;

/**
 * Queueing mail as part of a larger statement (a link order queues its mail with the allowance it uses):
 * two CTEs (`queued`, `concerned`) that insert the mails of a CTE `mails` (id from NEXT_MAIL_ID,
 * template, to_address, language, data, priority) and the members they concern, answered by
 * `members` (SQL with the columns mail_id, member_id). The caller announces them (announceWhenCommitted).
 */
export function mailInsertCtes(members: string): string {
  return `queued AS (
       INSERT INTO mail_queue (id, template, to_address, language, data, priority)
       SELECT id, template, to_address, language, data, priority FROM mails),
     concerned AS (
       INSERT INTO mail_queue_members (mail_id, member_id) ${members})`;
}

/**
 * Many messages and the members they concern in one statement, its values as one array a column (the
 * same statement for 1 mail or 1,000, parsed and bound as quickly); their ids in the order given.
 * The ids are drawn first, in that order, so that the members can be matched to their mail's id.
 */
export async function queueMails(db: Db, mails: QueuedMail[]): Promise<number[]> {
  if (mails.length === 0) return [];
  const concerned = mails.flatMap((mail, i) => (mail.memberIds ?? []).map((memberId) => [i + 1, memberId] as const));
  const statement = db.raw(
    `WITH mails AS MATERIALIZED (
       SELECT ${NEXT_MAIL_ID} AS id, m.*
       FROM unnest(?::text[], ?::text[], ?::text[], ?::jsonb[], ?::smallint[]) WITH ORDINALITY AS m(template, to_address, language, data, priority, n)),
     ${mailInsertCtes('SELECT mails.id AS mail_id, c.member_id FROM unnest(?::int[], ?::int[]) AS c(n, member_id) JOIN mails USING (n)')}
     SELECT id FROM mails ORDER BY n`,
    [
      mails.map((mail) => mail.template),
      mails.map((mail) => mail.to),
      mails.map((mail) => mail.language),
      mails.map((mail) => JSON.stringify(mail.data)),
      mails.map((mail) => PRIORITY[mail.priority ?? 'now']),
      concerned.map(([n]) => n),
      concerned.map(([, memberId]) => memberId),
    ],
  );
  const result = await prepared('mail-queue-insert', statement);
  announceWhenCommitted(db);
  return (result.rows as Array<{ id: string | number }>).map((row) => Number(row.id));
}

type MailQueuedListener = () => void;
const mailQueuedListeners = new Set<MailQueuedListener>();

/**
 * Calls `listener` whenever this process has queued mail and the mail is committed (and so claimable),
 * so that an idle sending loop here starts on it at once instead of at its next look: a member waits
 * less for the link, and the worker sends each mail as it comes instead of a second's worth in one
 * burst that holds up the requests arriving meanwhile. Mail queued by other processes is still found
 * by the loops' regular look. Returns the function that stops the calls.
 */
export function onMailQueued(listener: MailQueuedListener): () => void {
  mailQueuedListeners.add(listener);
  return () => mailQueuedListeners.delete(listener);
}

/** Mail queued in SQL elsewhere (link reminders) announces itself through this too. */
export function announceWhenCommitted(db: Db): void {
  if (mailQueuedListeners.size === 0) return;
  let outermost = db as Knex.Transaction;
  while (outermost.parentTransaction) outermost = outermost.parentTransaction;
  // A rolled-back transaction queued nothing: its rejection is its caller's to handle, not ours.
  if (outermost.isTransaction) outermost.executionPromise.then(announceMailQueued, () => undefined);
  else announceMailQueued();
}

/**
 * After the current turn of the event loop, not in it: the request that queued the mail answers first
 * (its remaining steps are promise callbacks, and a woken sending loop's would run before them: its
 * claim, written to PostgreSQL, held up the member's answer by the time the server took to run it).
 */
function announceMailQueued(): void {
  setImmediate(() => {
    for (const listener of mailQueuedListeners) listener();
  });
}
