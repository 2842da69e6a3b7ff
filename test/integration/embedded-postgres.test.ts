import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { createDb } from '../../src/db/connection.js';
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres.js';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test('the embedded database starts after the previous owner was killed with SIGKILL', async () => {
  const parent = await mkdtemp(path.join(os.tmpdir(), 'asp-kill-'));
  const clusterDir = path.join(parent, 'cluster');
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/embedded-child.ts', clusterDir], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('READY') && resolve());
      child.on('exit', (code) => reject(new Error(`child exited early with ${code}`)));
    });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));

    const leftoverPid = Number((await readFile(path.join(clusterDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
    assert.ok(alive(leftoverPid), 'the killed process left its PostgreSQL running');

    const server = await startEmbeddedPostgres(clusterDir);
    const db = createDb(server.url, { max: 1 });
    try {
      assert.equal((await db.raw('select 1 as one')).rows[0].one, 1);
      assert.equal(alive(leftoverPid), false, 'the leftover server was stopped');
    } finally {
      await db.destroy();
      await server.stop();
    }
  } finally {
    await rm(parent, { recursive: true, force: true });
  }
});

test('a clear error when the embedded database cannot start', async () => {
  const parent = await mkdtemp(path.join(os.tmpdir(), 'asp-busy-'));
  const first = await startEmbeddedPostgres(path.join(parent, 'one'));
  try {
    await assert.rejects(startEmbeddedPostgres(path.join(parent, 'two'), { port: first.port }), /Could not start the embedded PostgreSQL .*\n[\s\S]*DATABASE_URL/);
  } finally {
    await first.stop();
    await rm(parent, { recursive: true, force: true });
  }
});
