import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { projectRoot } from '../../src/project-root.js';

/**
 * admin/adminjs-load-hooks.mjs keeps AdminJS's bundler and React front end out of the server. The
 * stubs name files inside the pinned AdminJS packages: an upgrade that moves them must fail here, and
 * a server that loads them anyway (a stub that stopped matching) must fail too.
 */
const hooks = pathToFileURL(path.join(projectRoot, 'admin', 'adminjs-load-hooks.mjs')).href;
const { STUBS } = (await import(hooks)) as { STUBS: [module: string, importer: string, source: (realUrl: string) => string][] };
const installed = (modulePath: string) => path.join(projectRoot, modulePath.replace(/^\//, ''));

test("every stubbed module is still where the stub says, and only AdminJS's own imports of it are stubbed", () => {
  for (const [module, importer] of STUBS) {
    assert.ok(existsSync(installed(module)), `${module} exists`);
    assert.ok(importer.startsWith('/node_modules/adminjs/lib/'), `${module} is stubbed only for AdminJS's own imports`);
  }
  const designSystem = installed('/node_modules/@adminjs/design-system/build/');
  assert.match(readFileSync(path.join(designSystem, 'utils', 'combine-styles.js'), 'utf8'), /export \{[^}]*\bcombineStyles\b/);
  assert.match(readFileSync(path.join(designSystem, 'constants.js'), 'utf8'), /export const DEFAULT_DRAWER_WIDTH\b/);
});

/** Which module files a fresh process loads when it imports admin/adminjs-runtime.ts. */
function modulesLoadedByRuntime(env: Record<string, string> = {}): string[] {
  const dir = mkdtempSync(path.join(tmpdir(), 'adminjs-hooks-'));
  try {
    const log = path.join(dir, 'loaded.txt');
    writeFileSync(path.join(dir, 'trace-hooks.mjs'), `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) { appendFileSync(${JSON.stringify(log)}, url + '\\n'); return next(url, context); }`);
    writeFileSync(path.join(dir, 'trace.mjs'), `import { register } from 'node:module'; register(${JSON.stringify(pathToFileURL(path.join(dir, 'trace-hooks.mjs')).href)});`);
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--import', pathToFileURL(path.join(dir, 'trace.mjs')).href, '--input-type=module', '-e', `await import(${JSON.stringify(pathToFileURL(path.join(projectRoot, 'admin', 'adminjs-runtime.ts')).href)});`],
      { cwd: projectRoot, encoding: 'utf8', env: { ...process.env, ...env } },
    );
    assert.equal(run.status, 0, run.stderr);
    return readFileSync(log, 'utf8').trim().split('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const BUILD_ONLY = /\/node_modules\/(rollup|@rollup|@babel|react-dom|@tiptap|prosemirror-[a-z]+)\//;

test('the server loads AdminJS without its bundler (rollup, Babel) or its React components', { timeout: 60_000 }, () => {
  const loaded = modulesLoadedByRuntime({ ADMIN_BUNDLE_BUILD: '' });
  assert.ok(loaded.some((url) => url.endsWith('/node_modules/adminjs/lib/adminjs.js')), 'AdminJS itself is loaded');
  assert.ok(loaded.some((url) => url.endsWith('/node_modules/@adminjs/express/lib/index.js')), '@adminjs/express is loaded');
  assert.deepEqual(loaded.filter((url) => BUILD_ONLY.test(url) || url.endsWith('/@adminjs/design-system/build/index.js')), []);
});

test('the bundle build still gets the real bundler (and so the trace above sees what it looks for)', { timeout: 60_000 }, () => {
  const loaded = modulesLoadedByRuntime({ ADMIN_BUNDLE_BUILD: '1' });
  assert.ok(loaded.some((url) => /\/node_modules\/rollup\//.test(url)), 'rollup is loaded for the build');
  assert.ok(loaded.some((url) => url.endsWith('/@adminjs/design-system/build/index.js')), 'the whole design system is loaded for the build');
});
