import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/** A server the bench started: the compiled app, or a baseline. */
export interface Running {
  child: ChildProcess;
  pid: number;
  base: string;
  /** Milliseconds from spawn until it answered `readyPath` with 200. */
  startMs: number;
  /** The last lines it wrote, for the message when something goes wrong. */
  output: string[];
  stop(): Promise<void>;
}

/**
 * Starts `node <args>` and waits until `base + readyPath` answers 200. The app's own log goes nowhere
 * (LOG_LEVEL=warn keeps it short) unless it fails to start.
 */
export async function startServerProcess(args: string[], env: Record<string, string>, base: string, readyPath: string, timeoutMs = 60_000): Promise<Running> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: projectDir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(...chunk.toString().split('\n').filter(Boolean));
    if (output.length > 40) output.splice(0, output.length - 40);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${child.exitCode} before it was ready:\n${output.join('\n')}`);
    try {
      if ((await fetch(base + readyPath)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (performance.now() - started > timeoutMs) {
      child.kill('SIGKILL');
      throw new Error(`${args.join(' ')} was not ready within ${timeoutMs} ms:\n${output.join('\n')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return {
    child,
    pid: child.pid!,
    base,
    startMs: performance.now() - started,
    output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const stopped = await Promise.race([exited.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), 15_000))]);
      if (!stopped) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** `npm start`'s own node arguments (the heap limit, the entry), read from package.json so the bench runs what it runs. */
const START_ARGS: string[] = JSON.parse(readFileSync(path.join(projectDir, 'package.json'), 'utf8')).scripts.start.split(' ').slice(1);

export interface AppSettings {
  databaseUrl: string;
  smtpUrl: string;
  port: number;
  bcryptCost: number;
}

/** The environment the bench runs the app in (a login floor that uses the app's own services reads its configuration from it too). */
export function appEnvironment(env: AppSettings): Record<string, string> {
  return {
    NODE_ENV: 'production',
    DATABASE_URL: env.databaseUrl,
    SMTP_URL: env.smtpUrl,
    PUBLIC_URL: `http://127.0.0.1:${env.port}`,
    PORT: String(env.port),
    SESSION_SECRET: 'bench-session-secret-of-enough-length-0123456789',
    BCRYPT_COST: String(env.bcryptCost),
    LOG_LEVEL: 'warn',
    // The load comes from one address; a proxy's X-Forwarded-For gives each simulated person their own.
    TRUST_PROXY: '1',
    WORKER: 'on',
    // The search measurement logs in with a password only; the second factor is not what is measured.
    STAFF_MFA: 'optional',
  };
}

/** The compiled app, as `npm start` runs it (without its build step), in production mode. */
export function startApp(env: AppSettings & { profileDir?: string }): Promise<Running> {
  // NODE_OPTIONS refuses --cpu-prof, so a profile is asked for on the command line.
  const profile = env.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${env.profileDir}`] : [];
  return startServerProcess([...profile, ...START_ARGS], appEnvironment(env), `http://127.0.0.1:${env.port}`, '/readyz');
}
