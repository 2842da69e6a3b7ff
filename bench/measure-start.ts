import { findFreePort } from '../src/db/embedded-postgres.js';
import type { BenchContext } from './context.js';
import { median } from './load.js';
import { startApp } from './processes.js';
import { ms, type Row } from './report.js';

/** The compiled app from `node dist/src/server.js` to its first 200 on /readyz, on the migrated bench database. */
export async function measureStart(context: BenchContext, smtpUrl: string): Promise<Row[]> {
  const times: number[] = [];
  for (let run = 0; run < (context.options.smoke ? 1 : 3); run++) {
    context.progress(`start: run ${run + 1}`);
    const app = await startApp({ databaseUrl: context.database.url, smtpUrl, port: await findFreePort(), bcryptCost: context.options.bcryptCost });
    times.push(app.startMs);
    await app.stop();
  }
  const startMs = median(times);
  return [{ what: `start, compiled, to /readyz (median of ${times.length})`, app: ms(startMs), baseline: '', ratio: '', target: '≤ 2 s', met: startMs <= 2000 }];
}
