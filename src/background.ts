import type { Logger } from './logger.js';
import type { MailTransport } from './mail/transport.js';
import { processMailQueue } from './mail/worker.js';
import { processLinkBatches } from './passwords/link-batches.js';
import type { ServiceDeps } from './services.js';

export interface BackgroundDeps extends ServiceDeps {
  transport: MailTransport;
  logger: Logger;
}

/**
 * One round of background work: a slice of the staff's link sends becomes mail, then everything due
 * is sent. Slicing keeps a send to thousands from holding up a member's own order behind it.
 * Returns how many items were handled.
 */
export async function runBackgroundRound(deps: BackgroundDeps): Promise<number> {
  // Staff link sends never hold up the mail: whatever happens to them, what is due is sent.
  const prepared = await processLinkBatches(deps, { maxGroups: 50 }).catch((error) => {
    deps.logger.error({ err: error }, 'background worker: preparing link sends failed');
    return 0;
  });
  const sent = await processMailQueue(deps);
  return prepared + sent;
}

export interface BackgroundWorker {
  stop(): Promise<void>;
}

/**
 * Runs rounds in this process: at once again while there is work, otherwise every second by
 * default. All state is in the database, so any number of processes may run one; stop() waits for
 * the current round.
 */
export function startBackgroundWorker(deps: BackgroundDeps, idleMs = 1000): BackgroundWorker {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    timer = undefined;
    running = runBackgroundRound(deps)
      .catch((error) => {
        deps.logger.error({ err: error }, 'background worker: round failed');
        return 0;
      })
      .then((handled) => {
        if (!stopped) timer = setTimeout(tick, handled > 0 ? 0 : idleMs);
      });
  };
  timer = setTimeout(tick, 0);
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
      deps.transport.close();
    },
  };
}
