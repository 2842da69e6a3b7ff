import pg from 'pg';
import { demoStaff } from '../seeds/demo-data.js';
import type { BenchContext } from './context.js';
import { describeStatuses, percentile, runLoad } from './load.js';
import { ms, type Row } from './report.js';
import { searchStatements, type SearchCase } from './search-sql.js';

/**
 * The back-office member search on the bulk register, as federation member services use it: the
 * AdminJS list API (what the list page fetches) one request at a time, against the same statements
 * (admin/scoped-resource.ts's page and count, and the association names of the page) run directly.
 */
export async function measureSearch(context: BenchContext): Promise<Row[]> {
  const { options, app, database } = context;
  const sample = await database.db('members').whereNotNull('email').where('member_number', '>=', '500000').orderBy('id').offset(Math.floor(options.members / 2)).first('member_number', 'email', 'last_name');
  const cases: SearchCase[] = [
    { label: 'by email', column: 'email', value: sample.email.split('@')[0] },
    { label: 'by number', column: 'member_number', value: sample.member_number },
    { label: 'by last name', column: 'last_name', value: sample.last_name },
    { label: 'unfiltered list', column: undefined, value: '' },
  ];
  const cookie = await staffLogin(app.base);
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  const rows: Row[] = [];
  try {
    for (const search of cases) {
      context.progress(`search ${search.label}: API, then the same SQL directly`);
      const query = new URLSearchParams({ page: '1', ...(search.column ? { [`filters.${search.column}`]: search.value } : {}) });
      const api = await runLoad({ url: app.base, path: `/admin/api/resources/members/actions/list?${query}`, seconds: options.seconds, connections: 1, headers: { cookie, 'sec-fetch-site': 'same-origin' } });
      const direct = await runDirect(client, search, options.seconds);
      const p95 = percentile(api.latencies, 95);
      const ok = (api.statuses.get(200) ?? 0) === api.latencies.length;
      rows.push({
        what: `back-office search ${search.label}, ${options.members.toLocaleString('en')} members: p95 at the AdminJS API vs its SQL${ok ? '' : ` (answers: ${describeStatuses(api)})`}`,
        app: ms(p95),
        baseline: ms(percentile(direct, 95)),
        ratio: '',
        target: '≤ 10 ms',
        met: ok && p95 <= 10,
      });
    }
  } finally {
    await client.end();
  }
  return rows;
}

async function runDirect(client: pg.Client, search: SearchCase, seconds: number): Promise<number[]> {
  const latencies: number[] = [];
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    const at = performance.now();
    for (const statement of searchStatements(search)) {
      const result = await client.query(statement.sql, statement.values);
      if (statement.then) await client.query(statement.then(result.rows));
    }
    latencies.push(performance.now() - at);
  }
  return latencies;
}

/** Federation member services' demo account, logged in as a browser on the back-office's own pages. */
async function staffLogin(base: string): Promise<string> {
  const staff = demoStaff.find((s) => s.role === 'federation')!;
  const response = await fetch(`${base}/admin/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base, 'sec-fetch-site': 'same-origin' },
    body: new URLSearchParams({ email: staff.email, password: staff.password }),
  });
  if (response.status !== 303) throw new Error(`back-office login failed: ${response.status}`);
  return response.headers.getSetCookie().map((line) => line.split(';')[0]).join('; ');
}
