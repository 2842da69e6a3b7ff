import type { Server } from 'node:http';
import { ConfigError, loadConfig, type Config } from './config.js';
import type { Logger } from './logger.js';

/** How long requests in flight, and mail being sent, may take to finish after SIGTERM or SIGINT. */
export const STOP_GRACE_MS = 7000;
/** A stop that is stuck (a database that does not answer) ends the process anyway, with status 1. */
const STOP_DEADLINE_MS = 20_000;

export interface Stopper {
  /** Run together when a stop begins: stop taking work and let the work in flight finish. */
  drain(step: () => Promise<unknown>): void;
  /** Run after the drain, the last added first: the database pool, then the embedded database. */
  close(step: () => Promise<unknown>): void;
}

/**
 * A graceful stop on SIGTERM (service managers, container runtimes) and SIGINT (Ctrl-C): new work
 * is refused, what is in flight finishes, everything closes, and the process exits 0. A signal that
 * comes again meanwhile (npm passes on the one the terminal already sent) changes nothing.
 * Installed first thing, so a signal during start-up also stops cleanly what has been started.
 */
export function stopOnSignals(logger: Logger): Stopper {
  const draining: Array<() => Promise<unknown>> = [];
  const closing: Array<() => Promise<unknown>> = [];
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    const started = Date.now();
    logger.info({ signal }, 'stopping: finishing the requests and mail in flight');
    setTimeout(() => {
      logger.error({ ms: STOP_DEADLINE_MS }, 'stopping took too long: exiting anyway');
      process.exit(1);
    }, STOP_DEADLINE_MS).unref();
    for (const result of await Promise.allSettled(draining.map((step) => step()))) {
      if (result.status === 'rejected') logger.error({ err: result.reason }, 'stopping: a step failed');
    }
    for (const step of closing.reverse()) await step().catch((error: unknown) => logger.error({ err: error }, 'stopping: closing failed'));
    logger.info({ ms: Date.now() - started }, 'stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  return { drain: (step) => void draining.push(step), close: (step) => void closing.push(step) };
}

/**
 * Stops accepting connections and lets the requests in flight finish. Keep-alive connections are
 * closed as soon as they are idle; after `graceMs` whatever is left is cut.
 * (closeAllConnections() at once would destroy the requests in flight.)
 */
export function closeHttpServer(server: Server, graceMs = STOP_GRACE_MS): Promise<void> {
  return new Promise((resolve) => {
    const idle = setInterval(() => server.closeIdleConnections(), 100);
    const force = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close(() => {
      clearInterval(idle);
      clearTimeout(force);
      resolve();
    });
    server.closeIdleConnections();
  });
}

/** The configuration, or a message naming what is wrong and exit status 1. */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}
