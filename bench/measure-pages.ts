import { findFreePort } from '../src/db/embedded-postgres.js';
import { notes, type BenchContext } from './context.js';
import { backendCpuSeconds, cpuBetween } from './database.js';
import { describeStatuses, median, percentile, runLoad, runSteady } from './load.js';
import { processCpuSeconds } from './proc.js';
import { startServerProcess, type Running } from './processes.js';
import { ms, pct, type Row } from './report.js';

const PAGES = ['/', '/kirjaudu', '/tilaa-salasana'];
const STEADY_RATE = 100;

/**
 * Portal pages against a bare Express + EJS server rendering the same templates with the same data.
 * CPU per page is read from /proc (the app's process plus the PostgreSQL backends serving it), so the
 * load generator sharing the 2 cores does not blur it; then the p99 at a steady 100 pages a second.
 */
export async function measurePages(context: BenchContext): Promise<Row[]> {
  const { options, app, database } = context;
  const port = await findFreePort();
  const bare = await startServerProcess(['--import', 'tsx', 'bench/bare-portal.ts', String(port)], { NODE_ENV: 'production' }, `http://127.0.0.1:${port}`, '/readyz');
  const rows: Row[] = [];
  try {
    const sessionsBefore = await countSessions(context);
    let anonymousGets = 0;
    for (const page of PAGES) {
      context.progress(`pages ${page}: CPU per page (app, bare) in ${options.rounds} interleaved rounds`);
      const { appCpu, bareCpu } = await interleavedCpuPerPage(app, bare, page, options.seconds, options.rounds, database);
      context.progress(`pages ${page}: p99 at ${STEADY_RATE}/s (app, bare)`);
      const appSteady = await runSteady({ url: app.base, path: page, seconds: options.seconds, rate: STEADY_RATE });
      const bareSteady = await runSteady({ url: bare.base, path: page, seconds: options.seconds, rate: STEADY_RATE });
      anonymousGets += appCpu.pages + appSteady.latencies.length;
      const ratio = median(appCpu.rounds.map((appRound, i) => bareCpu.rounds[i]!.msPerPage / appRound.msPerPage));
      rows.push({
        what: `GET ${page}: CPU per page, app (+ its PostgreSQL) vs bare Express + EJS${appCpu.unexpected ? ` (app answered ${appCpu.unexpected})` : ''}`,
        app: `${ms(appCpu.msPerPage)} (db ${ms(appCpu.dbMsPerPage)})`,
        baseline: ms(bareCpu.msPerPage),
        ratio: pct(ratio),
        target: '≥ 50 %',
        met: ratio >= 0.5,
      });
      const p99 = percentile(appSteady.latencies, 99);
      rows.push({ what: `GET ${page}: p99 at a steady ${STEADY_RATE}/s`, app: ms(p99), baseline: ms(percentile(bareSteady.latencies, 99)), ratio: '', target: '≤ 20 ms', met: p99 <= 20 });
    }
    const written = (await countSessions(context)) - sessionsBefore;
    notes.push(`Anonymous page loads: ${written} member session rows written by ${anonymousGets} GETs without a cookie (should be 0: a visitor who has not logged in or posted anything needs no stored session).`);
  } finally {
    await bare.stop();
  }
  return rows;
}

async function countSessions(context: BenchContext): Promise<number> {
  return Number((await context.database.db('member_sessions').count<{ n: number }[]>({ n: '*' }).first())?.n ?? 0);
}

/**
 * The app and the bare server measured in turn, `rounds` times, `seconds` in all for each: the ratio is
 * the median of the rounds' ratios and each figure the median of its rounds. The machine is shared, and
 * its speed drifts within a minute (the bare server's own figure moved ±30 % between runs); a round of
 * one beside a round of the other sees nearly the same machine, where one long run of each did not.
 */
async function interleavedCpuPerPage(app: Running, bare: Running, page: string, seconds: number, rounds: number, database: BenchContext['database']) {
  const roundSeconds = Math.max(1, Math.round(seconds / rounds));
  const appRounds: PageCpu[] = [];
  const bareRounds: PageCpu[] = [];
  // Warmed first, both alike: a server's first second on a page is its JIT compiling, not its cost per page.
  for (const server of [app, bare]) await runLoad({ url: server.base, path: page, seconds: 1, connections: 8 });
  for (let round = 0; round < rounds; round++) {
    appRounds.push(await cpuPerPage(app, page, roundSeconds, async () => backendCpuSeconds(database.db, database.name), cpuBetween));
    bareRounds.push(await cpuPerPage(bare, page, roundSeconds));
  }
  const summary = (measured: PageCpu[]) => ({
    rounds: measured,
    pages: measured.reduce((sum, round) => sum + round.pages, 0),
    msPerPage: median(measured.map((round) => round.msPerPage)),
    dbMsPerPage: median(measured.map((round) => round.dbMsPerPage)),
    unexpected: measured.map((round) => round.unexpected).filter(Boolean).join('; '),
  });
  return { appCpu: summary(appRounds), bareCpu: summary(bareRounds) };
}

type PageCpu = Awaited<ReturnType<typeof cpuPerPage>>;

/** As many pages as the server gives for `seconds` (8 connections): its CPU (and its database's) per 200 answer. */
async function cpuPerPage<T>(server: Running, page: string, seconds: number, readDb?: () => Promise<T>, dbBetween?: (before: T, after: T) => number) {
  const dbBefore = await readDb?.();
  const before = processCpuSeconds(server.pid);
  const result = await runLoad({ url: server.base, path: page, seconds, connections: 8 });
  const cpu = processCpuSeconds(server.pid) - before;
  const db = readDb && dbBetween ? dbBetween(dbBefore as T, await readDb()) : 0;
  const pages = result.statuses.get(200) ?? 0;
  const unexpected = pages === result.latencies.length ? '' : describeStatuses(result);
  return { pages, msPerPage: ((cpu + db) * 1000) / pages, dbMsPerPage: (db * 1000) / pages, unexpected };
}
