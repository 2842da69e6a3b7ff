import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

/**
 * `npm start` runs src/build-state.mjs first: build only when the sources changed, and start from the
 * build without dev dependencies. Tried on a project of its own whose "build" only counts its runs.
 */
const script = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'build-state.mjs');

function project() {
  const dir = mkdtempSync(path.join(tmpdir(), 'build-state-'));
  for (const folder of ['src', 'admin', 'seeds', 'node_modules/some-dev-tool']) mkdirSync(path.join(dir, folder), { recursive: true });
  copyFileSync(script, path.join(dir, 'src', 'build-state.mjs'));
  writeFileSync(path.join(dir, 'src', 'app.ts'), 'export const a = 1;\n');
  writeFileSync(path.join(dir, 'node_modules', 'some-dev-tool', 'package.json'), '{"name":"some-dev-tool"}');
  const build = 'node src/build-state.mjs begin && mkdir -p dist/src && touch dist/src/server.js && echo built >> builds.txt && node src/build-state.mjs record';
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'p', private: true, scripts: { build }, devDependencies: { 'some-dev-tool': '1.0.0' } }));
  return dir;
}

const ensure = (dir: string) => spawnSync(process.execPath, ['src/build-state.mjs', 'ensure'], { cwd: dir, encoding: 'utf8' });
const builds = (dir: string) => readFileSync(path.join(dir, 'builds.txt'), 'utf8').trim().split('\n').length;

test('a start builds when there is no build or the sources changed, and not otherwise', (t) => {
  const dir = project();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  assert.equal(ensure(dir).status, 0);
  assert.equal(builds(dir), 1);
  assert.equal(ensure(dir).status, 0);
  assert.equal(builds(dir), 1, 'the second start must not build again');
  appendFileSync(path.join(dir, 'src', 'app.ts'), 'export const b = 2;\n');
  assert.equal(ensure(dir).status, 0);
  assert.equal(builds(dir), 2, 'a changed source must be built');
});

test('without dev dependencies a current build starts, and a missing one is a clear refusal', (t) => {
  const dir = project();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  assert.equal(ensure(dir).status, 0);
  rmSync(path.join(dir, 'node_modules', 'some-dev-tool'), { recursive: true });
  assert.equal(ensure(dir).status, 0, 'the build is current: nothing to build, nothing needed');
  appendFileSync(path.join(dir, 'admin', 'new.ts'), 'export {};\n');
  const refused = ensure(dir);
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /npm ci --include=dev && npm run build/);
  assert.equal(builds(dir), 1);
});

test('a failed build leaves no record that claims the build is current', (t) => {
  const dir = project();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  assert.equal(ensure(dir).status, 0);
  const broken = { name: 'p', private: true, scripts: { build: 'node src/build-state.mjs begin && exit 3' }, devDependencies: { 'some-dev-tool': '1.0.0' } };
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify(broken));
  assert.equal(ensure(dir).status, 3, 'package.json is an input: the changed build script runs, and fails');
  assert.equal(ensure(dir).status, 3, 'and the next start tries again instead of starting an old build');
});
