import { setTimeout as sleep } from 'node:timers/promises';
import { isDatabaseUnavailable } from './db/unavailable.js';
import type { Logger } from './logger.js';
import type { MailTransport } from './mail/transport.js';
import { onMailQueued } from './mail/queue.js';
import { createMailSender, processMailQueue, type DeliveryControl } from './mail/worker.js';
import { processLinkBatches } from './passwords/link-batches.js';
import { sendDueLinkReminders } from './passwords/link-reminders.js';
import type { ServiceDeps } from './services.js';

export interface BackgroundDeps extends ServiceDeps {
  transport: MailTransport;
  logger: Logger;
}

/** Links reminded per transaction (src/passwords/link-reminders.ts). */
const REMINDER_SLICE = 100;

/**
 * One round of background work, for tests and one-off runs: a slice of the staff's link sends becomes
 * mail, reminders due before first-time links run out are queued, then everything due is sent.
 * Returns how many items were handled.
 */
export async function runBackgroundRound(deps: BackgroundDeps, control: DeliveryControl = {}): Promise<number> {
  // Staff link sends and reminders never hold up the mail: whatever happens to them, what is due is sent.
  const prepared = await processLinkBatches(deps, { signal: control.stopping }).catch((error) => {
    deps.logger.error({ err: error }, 'background worker: preparing link sends failed');
    return 0;
  });
  const reminded = await sendDueLinkReminders(deps, { limit: REMINDER_SLICE }).catch((error) => {
    deps.logger.error({ err: error }, 'background worker: sending link reminders failed');
    return 0;
  });
  const sent = await processMailQueue(deps, control);
  return prepared + reminded + sent;
}

export interface BackgroundWorker {
  /**
   * Claims nothing more and waits for the mail in flight, at most `graceMs`; then gives up what is
   * still being sent (it goes back to the queue for the next process) and closes the connections.
   */
  stop(options?: { graceMs?: number }): Promise<void>;
}

/**
 * Loops turning staff link sends into mail, side by side (their claims skip each other's rows). A
 * slice is a few statements one after another, each waiting on PostgreSQL while the app waits, and
 * the app working while PostgreSQL waits: two overlap those waits. Measured on this 2-core machine, a
 * send to 30,000 was all queued in 7 s instead of 11, and its mail went out faster too (bench/RESULTS.md).
 */
const LINK_SEND_PREPARERS = 2;

/** After failures (the database away, say) a loop waits longer before it tries again, up to this (or its idle pause, if longer). */
const LONGEST_PAUSE_MS = 30_000;

/**
 * Reminders are due by the hour, not the second: an idle reminder loop looks again after a minute, so
 * that every process running a worker does not search the links every second.
 */
export const REMINDER_IDLE_MS = 60_000;

/**
 * The worker in this process: LINK_SEND_PREPARERS loops turning staff link sends into mail (LINK_SEND_SLICE addresses a slice each), one
 * queueing reminders before first-time links run out, and one sending loop per SMTP connection, each
 * taking the next mail (claimed and built a few at a time, the most urgent first) as soon as it is
 * free. A relay that is slow for one mail holds one loop; the others, and a member's new order, go
 * on. All state is in the database, so any number of
 * processes may run one. Idle loops look again every `idleMs` (the reminder loop every `reminderIdleMs`;
 * the sending loops one of them at a time); an idle sending loop also wakes as soon as this process queues mail.
 */
export function startBackgroundWorker(deps: BackgroundDeps, idleMs = 1000, reminderIdleMs = REMINDER_IDLE_MS): BackgroundWorker {
  const stopping = new AbortController();
  const abort = new AbortController();
  const control: DeliveryControl = { stopping: stopping.signal, abort: abort.signal };
  // Idle sending loops, the longest idle first. Mail queued wakes one; a loop that finds mail to send
  // wakes the next, so a batch gets every connection and one member's mail costs one extra look, not one per loop.
  const mailQueued = new Set<() => void>();
  const wakeOne = () => mailQueued.values().next().value?.();
  // Counts announcements, so that mail queued while a loop was finding nothing to send is not slept through.
  let mailQueuedCount = 0;
  const stopListening = onMailQueued(() => {
    mailQueuedCount++;
    wakeOne();
  });
  // One look a pause for all idle sending loops together, not one each: the longest idle looks, and
  // when it finds mail it wakes the next. With four connections an idle process asked the queue four
  // times a second for nothing, CPU taken from every login beside it (bench/measure-login.ts).
  let nextLook: NodeJS.Timeout | undefined;
  const lookAgainWithin = (ms: number) => {
    nextLook ??= setTimeout(() => {
      nextLook = undefined;
      wakeOne();
    }, ms);
  };
  /** The idle pause of a sending loop: until it is the one to look again (within `ms`), or this process queues mail, or stopping. */
  const idleUntilMailQueued = (ms: number, countBefore: number) =>
    new Promise<void>((resolve) => {
      if (mailQueuedCount !== countBefore || stopping.signal.aborted) return resolve();
      const wake = () => {
        mailQueued.delete(wake);
        stopping.signal.removeEventListener('abort', wake);
        resolve();
      };
      mailQueued.add(wake);
      lookAgainWithin(ms);
      stopping.signal.addEventListener('abort', wake, { once: true });
    });
  const repeat = async (what: string, step: () => Promise<number>, idle = idleMs, wakesOnMail = false) => {
    let failures = 0;
    while (!stopping.signal.aborted) {
      let handled = 0;
      const queuedBefore = mailQueuedCount;
      try {
        handled = await step();
        failures = 0;
      } catch (error) {
        failures++;
        if (isDatabaseUnavailable(error)) deps.logger.warn({ err: error, failures }, `background worker: database unavailable while ${what}, trying again shortly`);
        else deps.logger.error({ err: error }, `background worker: ${what} failed`);
      }
      if (wakesOnMail && handled > 0) wakeOne();
      const pause = failures > 0 ? Math.min(Math.max(LONGEST_PAUSE_MS, idle), idle * 2 ** failures) : handled > 0 ? 0 : idle;
      if (pause > 0 && wakesOnMail && failures === 0) await idleUntilMailQueued(pause, queuedBefore);
      else if (pause > 0) await sleep(pause, undefined, { signal: stopping.signal }).catch(() => undefined);
    }
  };
  const sender = createMailSender(deps, control);
  const loops = Promise.all([
    ...Array.from({ length: LINK_SEND_PREPARERS }, () => repeat('preparing link sends', () => processLinkBatches(deps, { signal: stopping.signal }))),
    repeat('sending link reminders', () => sendDueLinkReminders(deps, { limit: REMINDER_SLICE }), reminderIdleMs),
    ...Array.from({ length: Math.max(1, deps.transport.connections) }, () => repeat('sending mail', async () => Number(await sender.sendNext()), idleMs, true)),
  ]);
  return {
    async stop({ graceMs = 7000 } = {}) {
      stopping.abort();
      stopListening();
      clearTimeout(nextLook);
      const finished = await Promise.race([loops.then(() => true), sleep(graceMs, false, { ref: false })]);
      if (!finished) {
        abort.abort();
        await loops;
      }
      await sender.giveBack().catch((error) => deps.logger.error({ err: error }, 'background worker: mails built but not sent could not be given back; they are sent when their claim runs out'));
      deps.transport.close();
    },
  };
}
