import { setTimeout as sleep } from 'node:timers/promises';
import { isDatabaseUnavailable } from './db/unavailable.js';
import type { Logger } from './logger.js';
import type { MailTransport } from './mail/transport.js';
import { deliverNextMail, processMailQueue, type DeliveryControl } from './mail/worker.js';
import { processLinkBatches } from './passwords/link-batches.js';
import type { ServiceDeps } from './services.js';

export interface BackgroundDeps extends ServiceDeps {
  transport: MailTransport;
  logger: Logger;
}

/**
 * One round of background work, for tests and one-off runs: a slice of the staff's link sends becomes
 * mail, then everything due is sent. Returns how many items were handled.
 */
export async function runBackgroundRound(deps: BackgroundDeps, control: DeliveryControl = {}): Promise<number> {
  // Staff link sends never hold up the mail: whatever happens to them, what is due is sent.
  const prepared = await processLinkBatches(deps, { maxGroups: 50, signal: control.stopping }).catch((error) => {
    deps.logger.error({ err: error }, 'background worker: preparing link sends failed');
    return 0;
  });
  const sent = await processMailQueue(deps, control);
  return prepared + sent;
}

export interface BackgroundWorker {
  /**
   * Claims nothing more and waits for the mail in flight, at most `graceMs`; then gives up what is
   * still being sent (it goes back to the queue for the next process) and closes the connections.
   */
  stop(options?: { graceMs?: number }): Promise<void>;
}

/** After failures (the database away, say) a loop waits longer before it tries again, up to this. */
const LONGEST_PAUSE_MS = 30_000;

/**
 * The worker in this process: one loop turning staff link sends into mail (50 addresses a slice), and
 * one sending loop per SMTP connection, each taking the most urgent due mail as soon as it is free. A
 * relay that is slow for one mail holds one loop; the others, and a member's new order, go on. All
 * state is in the database, so any number of processes may run one. Idle loops look again every `idleMs`.
 */
export function startBackgroundWorker(deps: BackgroundDeps, idleMs = 1000): BackgroundWorker {
  const stopping = new AbortController();
  const abort = new AbortController();
  const control: DeliveryControl = { stopping: stopping.signal, abort: abort.signal };
  const repeat = async (what: string, step: () => Promise<number>) => {
    let failures = 0;
    while (!stopping.signal.aborted) {
      let handled = 0;
      try {
        handled = await step();
        failures = 0;
      } catch (error) {
        failures++;
        if (isDatabaseUnavailable(error)) deps.logger.warn({ err: error, failures }, `background worker: database unavailable while ${what}, trying again shortly`);
        else deps.logger.error({ err: error }, `background worker: ${what} failed`);
      }
      const pause = failures > 0 ? Math.min(LONGEST_PAUSE_MS, idleMs * 2 ** failures) : handled > 0 ? 0 : idleMs;
      if (pause > 0) await sleep(pause, undefined, { signal: stopping.signal }).catch(() => undefined);
    }
  };
  const loops = Promise.all([
    repeat('preparing link sends', () => processLinkBatches(deps, { maxGroups: 50, signal: stopping.signal })),
    ...Array.from({ length: Math.max(1, deps.transport.connections) }, () => repeat('sending mail', async () => Number(await deliverNextMail(deps, control)))),
  ]);
  return {
    async stop({ graceMs = 7000 } = {}) {
      stopping.abort();
      const finished = await Promise.race([loops.then(() => true), sleep(graceMs, false, { ref: false })]);
      if (!finished) {
        abort.abort();
        await loops;
      }
      deps.transport.close();
    },
  };
}
