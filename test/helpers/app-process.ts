import { spawn, type ChildProcess } from 'node:child_process';
import { onFileEnd } from './cleanup.js';

/**
 * The app (or the worker) as a real process, run from the sources through tsx, as `npm run dev`
 * does: what a signal, a SIGKILL or a stopped database does to it is what happens in production.
 */
export interface AppProcess {
  child: ChildProcess;
  /** Every line it wrote (pino JSON on stdout, anything on stderr). */
  lines: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Lines parsed as JSON where they are JSON (pino), with `msg` and `level`. */
  logEntries(): Array<Record<string, unknown>>;
}

export const TEST_SESSION_SECRET = 'test-session-secret-that-is-long-enough';

export function spawnApp(script: string, env: Record<string, string>, args: string[] = []): AppProcess {
  const base = { ...process.env };
  // The app reads only what the test gives it: no DATABASE_URL of the test run leaks in.
  delete base.DATABASE_URL;
  delete base.SMTP_URL;
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    env: { ...base, LOG_LEVEL: 'info', BCRYPT_COST: '10', SESSION_SECRET: TEST_SESSION_SECRET, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];
  const take = (chunk: Buffer, buffer: { rest: string }) => {
    const text = buffer.rest + chunk.toString();
    const parts = text.split('\n');
    buffer.rest = parts.pop() ?? '';
    for (const line of parts.filter(Boolean)) {
      lines.push(line);
      if (process.env.SHOW_APP_LOG) console.log(`[app ${child.pid}] ${line}`);
      for (const waiter of [...waiters]) {
        if (waiter.pattern.test(line)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(line);
        }
      }
    }
  };
  const out = { rest: '' };
  const err = { rest: '' };
  child.stdout!.on('data', (chunk: Buffer) => take(chunk, out));
  child.stderr!.on('data', (chunk: Buffer) => take(chunk, err));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() }));
  });
  onFileEnd(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  });
  return {
    child,
    lines,
    exited,
    waitForLine(pattern, timeoutMs = 30_000) {
      const found = lines.find((line) => pattern.test(line));
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms; the process wrote:\n${lines.slice(-30).join('\n')}`)), timeoutMs);
        const waiter = {
          pattern,
          resolve: (line: string) => {
            clearTimeout(timer);
            resolve(line);
          },
        };
        waiters.push(waiter);
        void exited.then(({ code, signal }) => {
          if (!waiters.includes(waiter)) return;
          clearTimeout(timer);
          reject(new Error(`the process exited (${code ?? signal}) before a line matching ${pattern}; it wrote:\n${lines.slice(-30).join('\n')}`));
        });
      });
    },
    logEntries() {
      return lines.flatMap((line) => {
        try {
          return [JSON.parse(line) as Record<string, unknown>];
        } catch {
          return [];
        }
      });
    },
  };
}

/** Polls a URL until it answers 200. */
export async function waitUntilReady(url: string, app: AppProcess, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (app.child.exitCode !== null) throw new Error(`the app exited with ${app.child.exitCode}:\n${app.lines.slice(-30).join('\n')}`);
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} was not ready within ${timeoutMs} ms:\n${app.lines.slice(-30).join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
