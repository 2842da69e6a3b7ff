import type { Config } from '../config.js';
import type { Db } from '../db/connection.js';
import type { Logger } from '../logger.js';
import { revokeUndeliveredLinks } from '../passwords/links.js';
import { composeMail, NothingToSend, type ClaimedMail } from './compose.js';
import type { MailTransport } from './transport.js';

export interface WorkerDeps {
  db: Db;
  config: Config;
  transport: MailTransport;
  logger: Logger;
}

const MAX_ATTEMPTS = 5;
const CLAIM_MINUTES = 2;

/**
 * Claims one due message. SKIP LOCKED lets several workers (in several processes) share the queue;
 * a claim left by a crashed worker is taken over when it runs out.
 */
async function claimNextMail(db: Db): Promise<ClaimedMail | undefined> {
  const result = await db.raw(
    `UPDATE mail_queue SET status = 'sending', attempts = attempts + 1, locked_until = now() + make_interval(mins => ?)
     WHERE id = (
       SELECT id FROM mail_queue
       WHERE (status IN ('queued', 'retrying') AND next_attempt_at <= now()) OR (status = 'sending' AND locked_until < now())
       ORDER BY next_attempt_at, id
       LIMIT 1
       FOR UPDATE SKIP LOCKED)
     RETURNING id, template, to_address, language, data, attempts`,
    [CLAIM_MINUTES],
  );
  const row = result.rows[0];
  return row ? { ...row, id: Number(row.id) } : undefined;
}

/** Sends what is due, one message at a time, until nothing is due. Returns how many were handled. */
export async function processMailQueue(deps: WorkerDeps): Promise<number> {
  let handled = 0;
  for (let mail = await claimNextMail(deps.db); mail; mail = await claimNextMail(deps.db)) {
    await deliver(deps, mail as ClaimedMail & { attempts: number });
    handled++;
  }
  return handled;
}

async function deliver(deps: WorkerDeps, mail: ClaimedMail & { attempts: number }) {
  const { db, logger } = deps;
  try {
    const message = await composeMail(db, deps.config, mail);
    await deps.transport.send(message);
    await db('mail_queue').where({ id: mail.id }).update({ status: 'sent', sent_at: db.fn.now(), locked_until: null, last_error: null });
    logger.info({ mailId: mail.id, template: mail.template }, 'mail sent');
  } catch (error) {
    await revokeUndeliveredLinks(db, mail.id);
    const reason = describe(error);
    const final = error instanceof NothingToSend || mail.attempts >= MAX_ATTEMPTS;
    await db('mail_queue')
      .where({ id: mail.id })
      .update({
        status: final ? 'failed' : 'retrying',
        last_error: reason,
        locked_until: null,
        // 1, 4, 16, 64 minutes between attempts
        next_attempt_at: db.raw(`now() + make_interval(mins => ?)`, [4 ** (mail.attempts - 1)]),
      });
    logger.warn({ mailId: mail.id, template: mail.template, attempt: mail.attempts, reason, final }, final ? 'mail failed' : 'mail will be retried');
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: string; responseCode?: number }).code;
    return `${code ? `${code}: ` : ''}${error.message}`.slice(0, 500);
  }
  return 'unknown error';
}
