import { readFileSync } from 'node:fs';

/** What a process costs, read from Linux /proc (other users' processes, e.g. PostgreSQL's, are readable too). */

const TICKS_PER_SECOND = 100;

/** utime + stime of a process, in seconds; 0 when it is gone. */
export function processCpuSeconds(pid: number): number {
  try {
    // The command name (field 2) may contain spaces: count the fields after its closing parenthesis.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** Resident memory of a process in MB; 0 when it is gone. */
export function residentMb(pid: number): number {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Samples a process's resident memory until stopped; returns the highest sample. */
export function sampleResident(pid: number, everyMs = 100): { stop(): number } {
  let peak = residentMb(pid);
  const timer = setInterval(() => {
    peak = Math.max(peak, residentMb(pid));
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, residentMb(pid));
    },
  };
}
