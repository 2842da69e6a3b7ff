import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { Db } from '../src/db/connection.js';

/** What the figures were measured on: they mean little without it. */
export interface Machine {
  cpu: string;
  cores: number;
  memoryGb: number;
  node: string;
  postgres: string;
  database: 'embedded' | 'DATABASE_URL';
  loadBefore: number;
}

export async function describeMachine(db: Db, database: Machine['database']): Promise<Machine> {
  const version = (await db.raw('SHOW server_version')).rows[0].server_version as string;
  return {
    cpu: cpuModel(),
    cores: os.cpus().length,
    memoryGb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    postgres: version,
    database,
    loadBefore: os.loadavg()[0]!,
  };
}

function cpuModel(): string {
  const fromOs = os.cpus()[0]?.model?.trim();
  if (fromOs && fromOs !== 'unknown') return fromOs;
  try {
    return /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
