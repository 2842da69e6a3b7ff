import type { Config } from './config.js';
import type { Db } from './db/connection.js';
import type { Logger } from './logger.js';
import { purgeFinishedLinkSends } from './passwords/link-batches.js';
import { purgeExpiredCounters } from './passwords/throttles.js';

/**
 * Housekeeping that any one process may run at any time: expired sessions and rate-limit counters,
 * "user not found" cases past their retention, and staff link sends finished over 30 days ago.
 */
export async function runMaintenance(db: Db, config: Config): Promise<Record<string, number>> {
  const sessions = (await db('member_sessions').where('expire', '<', db.fn.now()).delete()) + (await db('staff_sessions').where('expire', '<', db.fn.now()).delete());
  const counters = await purgeExpiredCounters(db);
  const cases = await db('not_found_cases').where('created_at', '<', db.raw(`now() - make_interval(days => ?)`, [config.caseRetentionDays])).delete();
  const linkSends = await purgeFinishedLinkSends(db);
  return { sessions, counters, cases, linkSends };
}

/** Runs the housekeeping now and then every 10 minutes in this process. */
export function startMaintenance(db: Db, config: Config, logger: Logger, intervalMs = 10 * 60 * 1000): { stop(): void } {
  const run = () =>
    runMaintenance(db, config)
      .then((removed) => logger.debug({ removed }, 'maintenance done'))
      .catch((error) => logger.warn({ err: error }, 'maintenance failed'));
  void run();
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
