// `npm start` and `npm run worker` run the compiled code in dist/. This decides whether dist/ is the
// build of the sources as they are now, so that a start rebuilds only after a change (a build takes
// 10–40 s here) and a production install without dev dependencies (no tsc) starts from its build.
// Plain JavaScript on purpose: it runs before anything is compiled.
//
//   node src/build-state.mjs begin    before a build: forget the old build, note what this one is built from
//   node src/build-state.mjs record   after a successful build: that is now what dist/ was built from
//   node src/build-state.mjs ensure   before a start: build when the sources changed, else nothing
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const stampFile = path.join(root, 'dist', 'build-inputs.sha256');
// Taken before compiling, so that a source edited during the build makes the next start build again.
const pendingFile = `${stampFile}.pending`;
// What the build reads: the compiled folders and what decides how they compile and bundle.
const INPUT_FOLDERS = ['src', 'admin', 'seeds'];
const INPUT_FILES = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json'];

function filesUnder(folder) {
  return readdirSync(path.join(root, folder), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(folder, entry.name);
    return entry.isDirectory() ? filesUnder(relative) : [relative];
  });
}

/** A digest of the contents (not the times) of every build input: a fresh clone of the same commit matches. */
function inputsDigest() {
  const files = [...INPUT_FOLDERS.flatMap(filesUnder), ...INPUT_FILES.filter((file) => existsSync(path.join(root, file)))].sort();
  const hash = createHash('sha256');
  for (const file of files) hash.update(`${file}\0`).update(readFileSync(path.join(root, file))).update('\0');
  return hash.digest('hex');
}

/** typescript alone says nothing: a production dependency brings it along; the type packages only come with dev dependencies. */
function devDependenciesInstalled() {
  const { devDependencies = {} } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  return Object.keys(devDependencies).every((name) => existsSync(path.join(root, 'node_modules', name, 'package.json')));
}

const builtFrom = () => (existsSync(stampFile) ? readFileSync(stampFile, 'utf8').trim() : null);

function ensure() {
  if (builtFrom() === inputsDigest() && existsSync(path.join(root, 'dist', 'src', 'server.js'))) return;
  if (!devDependenciesInstalled()) {
    console.error(
      'dist/ is missing or was built from other sources, and the build tools are not installed (an install without dev dependencies).\n' +
        'Build first where the dev dependencies are: npm ci --include=dev && npm run build',
    );
    process.exit(1);
  }
  console.log('The sources changed since the last build (or there is none): building first (npm run build).');
  const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  process.exit(build.status ?? 1);
}

const command = process.argv[2];
if (command === 'begin') {
  rmSync(stampFile, { force: true });
  mkdirSync(path.dirname(stampFile), { recursive: true });
  writeFileSync(pendingFile, `${inputsDigest()}\n`);
} else if (command === 'record') renameSync(pendingFile, stampFile);
else if (command === 'ensure') ensure();
else {
  console.error('usage: node src/build-state.mjs begin|record|ensure');
  process.exit(2);
}
