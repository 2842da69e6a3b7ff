import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDb, migrateToLatest } from '../src/db/connection.js';
import { databaseUrl, startTestPostgres } from './helpers/test-server.js';

/**
 * `npm test`: one PostgreSQL server for the run (DATABASE_URL, else embedded in a temp folder),
 * one migrated template database, then node's test runner over every *.test.ts file. Each test
 * file copies the template into a database of its own.
 * Browser tests need Debian's Chromium; without it they are skipped and we say so (in CI: failure).
 */
const testDir = path.dirname(fileURLToPath(import.meta.url));
const projectDir = path.dirname(testDir);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The back-office's component bundle is built by `npm run build`; build it here when missing or stale. */
function ensureAdminBundle() {
  const bundle = path.join(projectDir, 'dist', 'admin-bundle', 'bundle.js');
  // Components, and the AdminJS internals they are built on (admin/adminjs-internals: also bundled).
  const folders = ['components', 'adminjs-internals'].map((folder) => path.join(projectDir, 'admin', folder)).filter((folder) => existsSync(folder));
  const sources = folders.flatMap((folder) => readdirSync(folder).map((f) => statSync(path.join(folder, f)).mtimeMs));
  if (existsSync(bundle) && statSync(bundle).mtimeMs >= Math.max(...sources)) return;
  const built = spawnSync(process.execPath, ['--import', 'tsx', 'admin/build-bundle.ts'], { cwd: projectDir, stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

function findTests(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) return findTests(full);
    return entry.endsWith('.test.ts') ? [full] : [];
  });
}

const filter = process.argv.slice(2);
let files = findTests(testDir).sort();
if (filter.length > 0) files = files.filter((file) => filter.some((part) => file.includes(part)));

const browserTests = files.filter((file) => file.includes(`${path.sep}browser${path.sep}`));
if (browserTests.length > 0 && !existsSync(CHROMIUM)) {
  if (process.env.CI) {
    console.error(`Browser tests need Chromium at ${CHROMIUM}, and CI never skips them. Install it: apt-get install -y chromium`);
    process.exit(1);
  }
  console.log(`\nBROWSER TESTS SKIPPED: Chromium was not found at ${CHROMIUM} (apt-get install -y chromium). ${browserTests.length} browser test file(s) did not run.\n`);
  files = files.filter((file) => !browserTests.includes(file));
}

ensureAdminBundle();

const server = await startTestPostgres();
const template = `asp_template_${process.pid}`;
console.log(`Test database server: ${server.embedded ? 'embedded PostgreSQL (temporary folder)' : 'DATABASE_URL'}`);
const admin = createDb(server.adminUrl, { max: 1 });
let exitCode = 1;
try {
  await admin.raw(`DROP DATABASE IF EXISTS ${template}`);
  await admin.raw(`CREATE DATABASE ${template}`);
  const templateDb = createDb(databaseUrl(server.adminUrl, template), { max: 1 });
  await migrateToLatest(templateDb);
  await templateDb.destroy();

  exitCode = await new Promise<number>((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-timeout=180000', `--test-concurrency=${process.env.TEST_CONCURRENCY ?? 2}`, ...files],
      {
        cwd: projectDir,
        stdio: 'inherit',
        env: { ...process.env, NODE_ENV: 'test', TEST_PG_ADMIN_URL: server.adminUrl, TEST_PG_TEMPLATE: template, CHROMIUM_PATH: CHROMIUM },
      },
    );
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
} finally {
  await admin.raw(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`).catch(() => undefined);
  await admin.destroy();
  await server.stop();
}
process.exit(exitCode);
