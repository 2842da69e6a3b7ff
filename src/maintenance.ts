import type { Config } from './config.js';
import type { Db } from './db/connection.js';
import type { Logger } from './logger.js';
import { purgeExpiredData, type PurgeCounts } from './retention.js';

/**
 * Housekeeping that any one process, or several at once, may run at any time: everything past its
 * retention (src/retention.ts) is removed in small batches. Returns how many rows went, per kind.
 */
export async function runMaintenance(db: Db, config: Config): Promise<PurgeCounts> {
  return purgeExpiredData(db, config);
}

/** Runs the housekeeping now and then every 10 minutes in this process; stop() waits for a run in progress. */
export function startMaintenance(db: Db, config: Config, logger: Logger, intervalMs = 10 * 60 * 1000): { stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  const run = () => {
    running = runMaintenance(db, config)
      .then((removed) => logger.debug({ removed }, 'maintenance done'))
      .catch((error) => logger.warn({ err: error }, 'maintenance failed'));
  };
  run();
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      return running;
    },
  };
}
