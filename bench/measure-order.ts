import { clientAddress, formCookie, formToken, type BenchContext } from './context.js';
import { describeStatuses, percentile, runSteady } from './load.js';
import { ms, type Row } from './report.js';

const ORDER_RATE = 20;
const SESSIONS = 20;
/**
 * The order runs three times the bench's seconds: its p95 from 10 s (200 orders) was their tenth
 * slowest, and ranged 14–21 ms over runs of the same code; from 600 it moves by a millisecond or two.
 */
const ORDER_SECONDS_FACTOR = 3;

/**
 * «Tilaa uusi salasana» posted at a steady 20 a second, each by a visitor of its own (own address,
 * one of 20 opened forms, its cookie and token) for a member of its own: the order path as members use it,
 * with the mail worker sending the mail meanwhile.
 */
export async function measureOrder(context: BenchContext): Promise<Row[]> {
  const { options, app, database } = context;
  const seconds = options.seconds * ORDER_SECONDS_FACTOR;
  const count = ORDER_RATE * seconds + 20;
  const emails: string[] = await database.db('members as m')
    .leftJoin('member_credentials as c', 'c.member_id', 'm.id')
    .whereNull('c.member_id')
    .whereNotNull('m.email')
    .where('m.membership_status', 'active')
    .orderBy('m.id', 'desc')
    .limit(count)
    .pluck('m.email');
  const forms = await Promise.all(
    Array.from({ length: SESSIONS }, async () => {
      const response = await fetch(`${app.base}/tilaa-salasana`);
      return { cookie: formCookie(response), token: formToken(await response.text()) };
    }),
  );
  context.progress(`order: POST /tilaa-salasana at ${ORDER_RATE}/s`);
  const result = await runSteady({
    url: app.base,
    path: '/tilaa-salasana',
    method: 'POST',
    seconds,
    rate: ORDER_RATE,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    each: (n) => {
      const form = forms[n % forms.length]!;
      const body = new URLSearchParams({ _csrf: form.token, email: emails[n % emails.length]! });
      return { headers: { cookie: form.cookie, 'x-forwarded-for': clientAddress(100_000 + n) }, body: body.toString() };
    },
  });
  const ok = result.statuses.get(200) ?? 0;
  const p95 = percentile(result.latencies, 95);
  return [
    {
      what: `order POST /tilaa-salasana at ${ORDER_RATE}/s: p50 / p95${ok === result.latencies.length ? '' : ` (answers: ${describeStatuses(result)})`}`,
      app: `${ms(percentile(result.latencies, 50))} / ${ms(p95)}`,
      baseline: '',
      ratio: '',
      target: 'p95 ≤ 15 ms',
      met: p95 <= 15 && ok === result.latencies.length,
    },
  ];
}
