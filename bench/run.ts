import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { findFreePort } from '../src/db/embedded-postgres.js';
import { notes, type BenchContext, type Measurement } from './context.js';
import { fillBenchDatabase, openBenchDatabase } from './database.js';
import { describeMachine } from './machine.js';
import { measureBulkSend } from './measure-bulk-send.js';
import { measureLogin } from './measure-login.js';
import { measureOrder } from './measure-order.js';
import { measurePages } from './measure-pages.js';
import { measureSearch } from './measure-search.js';
import { measureStart } from './measure-start.js';
import { readOptions } from './options.js';
import { projectDir, startApp, type Running } from './processes.js';
import { renderMachine, renderTable, type Row } from './report.js';
import { startSmtpCounter } from './smtp-counter.js';

/**
 * `npm run bench` (after `npm run build`): the compiled app on a database of its own holding the bulk
 * register, driven over loopback, each figure beside its baseline from the same run; one table,
 * printed and written to bench/RESULTS.md. `-- --smoke` (or BENCH_SMOKE=1): tiny sizes, for CI; it
 * checks that everything still runs and never writes RESULTS.md.
 */
const options = readOptions();
const MEASUREMENTS: Record<string, Measurement> = { login: measureLogin, pages: measurePages, order: measureOrder, search: measureSearch, 'bulk-send': measureBulkSend };
const wanted = (name: string) => !options.only || options.only.includes(name);
const started = performance.now();
const progress = (line: string) => process.stdout.write(`[bench ${Math.round((performance.now() - started) / 1000)} s] ${line}\n`);

const database = await openBenchDatabase();
const smtp = await startSmtpCounter();
let app: Running | undefined;
// Ctrl-C mid-run: the app stopped, the bench database dropped (and an embedded server stopped), nothing left behind.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    progress(`${signal}: stopping`);
    void (async () => {
      await app?.stop();
      await smtp.close();
      await database.close();
      process.exit(130);
    })();
  });
}
let exitCode = 0;

/** A measurement that fails is a row that says so (and a failed run), not the loss of every figure before it. */
async function measureOrReport(name: string, measure: () => Promise<Row[]>): Promise<Row[]> {
  try {
    return await measure();
  } catch (error) {
    exitCode = 1;
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 200);
    console.error(error);
    return [{ what: `${name}: FAILED`, app: reason, baseline: '', ratio: '', target: '', met: false }];
  }
}
try {
  progress(`database (${database.kind}): migrating and seeding ${options.members} members`);
  await fillBenchDatabase(database.db, { members: options.members, withPassword: Math.min(200, Math.floor(options.members / 4)), bcryptCost: options.bcryptCost, progress });
  const machine = await describeMachine(database.db, database.kind);
  app = await startApp({ databaseUrl: database.url, smtpUrl: smtp.url, port: await findFreePort(), bcryptCost: options.bcryptCost, ...(options.profileDir ? { profileDir: path.resolve(options.profileDir) } : {}) });
  const context: BenchContext = { options, database, app, smtp, progress };
  const running = app;
  const rows: Row[] = [];
  try {
    for (const [name, measure] of Object.entries(MEASUREMENTS)) if (wanted(name)) rows.push(...(await measureOrReport(name, () => measure(context))));
  } finally {
    await running.stop();
  }
  if (wanted('start')) rows.push(...(await measureOrReport('start', () => measureStart(context, smtp.url))));

  const sizes = `${options.members.toLocaleString('en')} members, a link send to ${options.sendMembers.toLocaleString('en')}, ${options.seconds} s a load measurement${options.smoke ? ' (SMOKE: sizes too small for the figures to mean anything)' : ''}`;
  const report = [
    '# Benchmark results',
    '',
    `Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}.`,
    '',
    renderMachine(machine, sizes),
    '',
    renderTable(rows),
    '',
    ...notes.map((note) => `- ${note}`),
    '',
  ].join('\n');
  process.stdout.write(`\n${report}`);
  if (!options.smoke && !options.only) {
    await writeFile(path.join(projectDir, 'bench', 'RESULTS.md'), report);
    progress('written to bench/RESULTS.md');
  }
} catch (error) {
  console.error(error);
  exitCode = 1;
} finally {
  await smtp.close();
  await database.close();
}
process.exit(exitCode);
