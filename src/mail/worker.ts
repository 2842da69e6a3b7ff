import type { Config } from '../config.js';
import { reasonOf, type Db } from '../db/connection.js';
import { refreshStaleStatistics } from '../db/statistics.js';
import { isDatabaseUnavailable } from '../db/unavailable.js';
import type { Logger } from '../logger.js';
import { revokeUndeliveredLinks } from '../passwords/links.js';
import { composeMails, NothingToSend, type BuiltMail, type ClaimedMail } from './compose.js';
import { LONGEST_SEND_MS, PermanentFailure, type MailTransport } from './transport.js';

export interface WorkerDeps {
  db: Db;
  config: Config;
  transport: MailTransport;
  logger: Logger;
}

/** How a caller stops the sending: `stopping` claims nothing more; `abort` also gives up the sends in flight. */
export interface DeliveryControl {
  stopping?: AbortSignal;
  abort?: AbortSignal;
}

/**
 * A claim outlives the longest send the transport allows (LONGEST_SEND_MS) with time to build the
 * message and record the outcome: no other process takes a mail over while this one may still be
 * sending it. A claim left by a process that died is taken over when it runs out.
 */
export const CLAIM_SECONDS = LONGEST_SEND_MS / 1000 + 120;
/** Back-off between attempts: 1, 2, 4, 8, 16, then every 30 minutes until MAIL_RETRY_HOURS have passed. */
const LONGEST_WAIT_MINUTES = 30;

type Claimed = ClaimedMail & { attempts: number };

/**
 * Mails are claimed and built a few at a time (four per connection): their members read and their
 * links made in one statement each (compose.ts composeMails), not per mail. Each connection then
 * takes the next built mail as soon as it is free, so a relay slow for one mail still holds one
 * connection, not the mails built with it.
 */
const BUILT_AHEAD_PER_CONNECTION = 4;
/**
 * A built mail that has waited this long for a free connection (every connection slow) goes back to
 * the queue instead: it must reach the relay well within its claim (CLAIM_SECONDS, which allows for
 * a send of LONGEST_SEND_MS), so that no other process takes it over while it is being sent.
 */
const BUILT_MAIL_LONGEST_WAIT_MS = 60_000;

/** How many mails a worker claims between two looks at the tables' statistics (src/db/statistics.ts). */
const STATISTICS_CHECK_EVERY = 1000;

/**
 * Claims up to `limit` due messages, the most urgent first: a member's own mail before a staff bulk
 * send, then the oldest. SKIP LOCKED lets several workers (in several processes) share the queue. A
 * mail being sent is due again only when its claim has run out (its end is kept in next_attempt_at,
 * which the index orders by).
 */
async function claimMails(db: Db, limit: number): Promise<Claimed[]> {
  const result = await db.raw(
    `UPDATE mail_queue SET status = 'sending', attempts = attempts + 1,
       locked_until = now() + make_interval(secs => ?), next_attempt_at = now() + make_interval(secs => ?)
     WHERE id IN (
       SELECT id FROM mail_queue
       WHERE status IN ('queued', 'retrying', 'sending') AND next_attempt_at <= now()
         AND (status <> 'sending' OR locked_until < now())
       ORDER BY priority, next_attempt_at, id
       LIMIT ?
       FOR UPDATE SKIP LOCKED)
     RETURNING id, priority, template, to_address, language, data, attempts`,
    [CLAIM_SECONDS, CLAIM_SECONDS, limit],
  );
  // RETURNING keeps no order: the most urgent first again (the oldest of a priority has the lowest id).
  return (result.rows as Array<Claimed & { priority: number }>)
    .map((row) => ({ ...row, id: Number(row.id) }))
    .sort((a, b) => a.priority - b.priority || a.id - b.id);
}

type Built = BuiltMail & { mail: Claimed; builtAt: number };

/** Sends the queue's mail for one worker: its connections share the mails it has claimed and built. */
export interface MailSender {
  /** Sends the most urgent due mail; false when nothing was due or the sending is stopping. */
  sendNext(): Promise<boolean>;
  /** Gives the mails built but not sent back to the queue (when stopping): their links are revoked. */
  giveBack(): Promise<void>;
}

export function createMailSender(deps: WorkerDeps, control: DeliveryControl = {}): MailSender {
  const built: Built[] = [];
  const recordSent = sentRecorder(deps, control.abort);
  let building: Promise<void> | undefined;
  let claimedSinceStatistics = 0;
  const buildMore = () =>
    (building ??= (async () => {
      const mails = await claimMails(deps.db, Math.max(1, deps.transport.connections) * BUILT_AHEAD_PER_CONNECTION);
      if (mails.length === 0) return;
      // Building a link mail makes its link: a big send grows the link table as fast as it is sent.
      claimedSinceStatistics += mails.length;
      if (claimedSinceStatistics >= STATISTICS_CHECK_EVERY) {
        claimedSinceStatistics = 0;
        await refreshStaleStatistics(deps.db);
      }
      const builtAt = Date.now();
      const composed = await composeMails(deps.db, deps.config, mails).catch((error: unknown) => mails.map((mail) => ({ mail, error })));
      built.push(...composed.map((one) => ({ ...one, mail: one.mail as Claimed, builtAt })));
    })().finally(() => (building = undefined)));
  return {
    async sendNext() {
      for (;;) {
        if (control.stopping?.aborted) return false;
        const next = built.shift();
        if (next) {
          await deliver(deps, next, control.abort, recordSent);
          return true;
        }
        // Another connection's batch may leave nothing for this one: then it claims a batch of its own.
        const joined = building !== undefined;
        await buildMore();
        if (built.length === 0 && !joined) return false;
      }
    },
    async giveBack() {
      for (let next = built.shift(); next; next = built.shift()) await releaseMail(deps, next.mail, 'stopping: the mail was built but not sent');
    },
  };
}

/**
 * Sends what is due until nothing is, as many at once as the transport has connections, so one slow
 * recipient holds one connection and not the queue. Returns how many were handled.
 */
export async function processMailQueue(deps: WorkerDeps, control: DeliveryControl = {}): Promise<number> {
  const sender = createMailSender(deps, control);
  let handled = 0;
  const lane = async () => {
    while (await sender.sendNext()) handled++;
  };
  const lanes = await Promise.allSettled(Array.from({ length: Math.max(1, deps.transport.connections) }, lane));
  await sender.giveBack();
  const failed = lanes.find((lane): lane is PromiseRejectedResult => lane.status === 'rejected');
  if (failed) throw failed.reason;
  return handled;
}

async function deliver(deps: WorkerDeps, built: Built, abort: AbortSignal | undefined, recordSent: (mail: Claimed) => Promise<void>) {
  const { mail } = built;
  if ('error' in built) {
    // The database failing for a moment is not the mail's fault: it goes back to the queue uncounted.
    if (isDatabaseUnavailable(built.error)) return releaseMail(deps, mail, 'the database was not available', 10);
    return recordFailure(deps, mail, built.error);
  }
  if (Date.now() - built.builtAt > BUILT_MAIL_LONGEST_WAIT_MS) return releaseMail(deps, mail, 'it waited too long for a free connection');
  try {
    await deps.transport.send(built.message, { signal: abort });
  } catch (error) {
    if (abort?.aborted) return releaseMail(deps, mail, 'stopping: the mail was still being sent');
    return recordFailure(deps, mail, error);
  }
  // The connection takes its next mail only once this one is recorded: a process killed now leaves at
  // most one mail a connection sent but not recorded (sent again when its claim runs out).
  await recordSent(mail);
}

/** Only while our claim holds (attempts counts claims): a late answer never overwrites another worker's. */
const ourClaim = (db: Db, mail: Claimed) => db('mail_queue').where({ id: mail.id, status: 'sending', attempts: mail.attempts });

/**
 * Records mails as sent ($1 the ids, $2 and $3 the ids with their claims' attempts) and starts their
 * links' time. The links are found by mail_id alone, and whether one is still outstanding is decided
 * in the SET: given "used_at IS NULL AND revoked_at IS NULL" in the WHERE, the planner may instead read
 * the partial index of all outstanding links (links_staff_outstanding), and does whenever the table's
 * statistics are from when it was nearly empty (the first big send of a new installation): each record
 * then read every outstanding link, and a 30,000-mail send slowed from 320 to 120 mails/s until
 * autovacuum analysed the table (src/db/statistics.ts keeps the statistics current during a send;
 * test/integration/link-send-statistics.test.ts holds the plan to links_mail).
 */
export const RECORD_SENT = `WITH links AS (
    UPDATE set_password_links
    SET expires_at = CASE WHEN used_at IS NULL AND revoked_at IS NULL THEN now() + (expires_at - created_at) ELSE expires_at END
    WHERE mail_id = ANY(?::bigint[]))
  UPDATE mail_queue q SET status = 'sent', sent_at = now(), locked_until = NULL, last_error = NULL
  FROM unnest(?::bigint[], ?::int[]) AS sent(id, attempts)
  WHERE q.id = sent.id AND q.status = 'sending' AND q.attempts = sent.attempts
  RETURNING q.id`;

/**
 * Sent. Its links are valid their full time from now, when the mail left (not from when it was built).
 * The relay has the mail: the record is retried through a short database outage, because a mail left
 * claimed would be sent again when its claim ran out. One statement (atomic without a transaction)
 * records every mail given: see sentRecorder.
 */
async function recordSent(deps: WorkerDeps, mails: Claimed[], abort: AbortSignal | undefined) {
  const { db, logger } = deps;
  for (let attempt = 1; ; attempt++) {
    try {
      const ids = mails.map((mail) => mail.id);
      const result = await db.raw(RECORD_SENT, [ids, ids, mails.map((mail) => mail.attempts)]);
      const ours = new Set((result.rows as Array<{ id: string | number }>).map((row) => Number(row.id)));
      for (const mail of mails) {
        if (!ours.has(mail.id)) logger.warn({ mailId: mail.id }, 'mail sent after another process had taken it over: it may arrive twice');
        else logger.info({ mailId: mail.id, template: mail.template }, 'mail sent');
      }
      return;
    } catch (error) {
      if (!isDatabaseUnavailable(error) || attempt >= 60 || abort?.aborted) {
        for (const mail of mails) logger.error({ err: error, mailId: mail.id }, 'mail sent but not recorded: it will be sent again when its claim runs out');
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

/**
 * Records sent mails as they finish; the ones that finish while a record is being written are written
 * together next (a group commit). No mail waits for another to be sent, and while the connections are
 * busy one statement records several mails instead of one each.
 */
function sentRecorder(deps: WorkerDeps, abort: AbortSignal | undefined): (mail: Claimed) => Promise<void> {
  let waiting: Array<{ mail: Claimed; recorded: () => void }> = [];
  let writing: Promise<void> | undefined;
  const writeWaiting = async () => {
    while (waiting.length > 0) {
      const batch = waiting;
      waiting = [];
      await recordSent(deps, batch.map((one) => one.mail), abort);
      for (const one of batch) one.recorded();
    }
    writing = undefined;
  };
  return (mail) =>
    new Promise<void>((recorded) => {
      waiting.push({ mail, recorded });
      writing ??= writeWaiting();
    });
}

/**
 * Not delivered: tried again after a back-off, for MAIL_RETRY_HOURS after it was queued; failed at
 * once when retrying cannot help (the relay rejected it for good, or nobody can get its links any more).
 */
async function recordFailure(deps: WorkerDeps, mail: Claimed, error: unknown) {
  const { db, logger } = deps;
  await revokeUndeliveredLinks(db, mail.id);
  const permanent = error instanceof NothingToSend || error instanceof PermanentFailure;
  const reason = describe(error);
  const givenUp = `?::boolean OR created_at + make_interval(hours => ?) <= now()`;
  const window = [permanent, deps.config.mailRetryHours];
  const waitMinutes = Math.min(LONGEST_WAIT_MINUTES, 2 ** (mail.attempts - 1));
  const [row] = await ourClaim(db, mail)
    .update({
      status: db.raw(`CASE WHEN ${givenUp} THEN 'failed' ELSE 'retrying' END`, window),
      last_error: reason,
      locked_until: null,
      next_attempt_at: db.raw(`CASE WHEN ${givenUp} THEN now() ELSE now() + make_interval(mins => ?) END`, [...window, waitMinutes]),
    })
    .returning('status');
  const final = row?.status === 'failed';
  logger.warn({ mailId: mail.id, template: mail.template, attempt: mail.attempts, reason, final }, final ? 'mail failed' : 'mail will be retried');
  if (isRelayConfiguration(error)) logger.error({ mailId: mail.id, reason }, 'the mail relay refuses our login or sender: check SMTP_URL and MAIL_FROM');
}

/**
 * Not an attempt (the process is stopping, or the database failed while the mail was being built):
 * the mail goes back to the queue, due at once (or shortly), for this process or the next.
 */
async function releaseMail(deps: WorkerDeps, mail: Claimed, why: string, dueInSeconds = 0) {
  const { db, logger } = deps;
  await revokeUndeliveredLinks(db, mail.id);
  const due = db.raw('now() + make_interval(secs => ?)', [dueInSeconds]);
  await ourClaim(db, mail).update({ status: mail.attempts > 1 ? 'retrying' : 'queued', attempts: mail.attempts - 1, locked_until: null, next_attempt_at: due });
  logger.warn({ mailId: mail.id, why }, 'mail given back to the queue');
}

function isRelayConfiguration(error: unknown): boolean {
  const { code, command, responseCode } = (error ?? {}) as { code?: string; command?: string; responseCode?: number };
  return code === 'EAUTH' || (command === 'MAIL FROM' && typeof responseCode === 'number' && responseCode >= 500);
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: string }).code;
    return `${code ? `${code}: ` : ''}${reasonOf(error)}`.slice(0, 500);
  }
  return 'unknown error';
}
