import autocannon from 'autocannon';
import http from 'node:http';

/** What one load run saw: every response's latency (ms) and status, over the run's wall time. */
export interface LoadResult {
  latencies: number[];
  statuses: Map<number, number>;
  seconds: number;
  errors: number;
}

export interface LoadOptions {
  url: string;
  seconds: number;
  connections: number;
  /** Stop after this many requests (when each one uses something prepared up front). */
  amount?: number;
  method?: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  /** Per request: headers and body of its own (a session cookie, a CSRF token, an address). */
  each?: (n: number) => { path?: string; headers?: Record<string, string>; body?: string };
}

/**
 * Runs autocannon over loopback, as fast as the server answers, and keeps each response's latency, so
 * any percentile can be read. A load at a given rate is runSteady's.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let n = 0;
  const started = performance.now();
  let done!: (result: autocannon.Result) => void;
  let failed!: (error: unknown) => void;
  const finished = new Promise<autocannon.Result>((resolve, reject) => ((done = resolve), (failed = reject)));
  const instance = autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.seconds,
    ...(options.amount ? { amount: options.amount } : {}),
    timeout: 30,
    requests: [
      {
        method: options.method ?? 'GET',
        path: options.path,
        headers: options.headers ?? {},
        setupRequest: (request) => {
          if (!options.each) return request;
          const extra = options.each(n++);
          return { ...request, path: extra.path ?? request.path, headers: { ...request.headers, ...extra.headers }, ...(extra.body === undefined ? {} : { body: extra.body }) };
        },
      },
    ],
  }, (error, result) => (error ? failed(error) : done(result)));
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    latencies.push(responseTime);
    statuses.set(statusCode, (statuses.get(statusCode) ?? 0) + 1);
  });
  const result = await finished;
  return { latencies, statuses, seconds: (performance.now() - started) / 1000, errors: result.errors + result.timeouts };
}

/** The p-th percentile (0–100) by nearest rank; NaN for no values. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export const median = (values: number[]) => percentile(values, 50);

/** Responses with this status per second of the run. */
export const ratePer = (result: LoadResult, status: number) => (result.statuses.get(status) ?? 0) / result.seconds;

/** "200×812, 429×3": what came back, for a measurement that did not get only what it expected. */
export const describeStatuses = (result: LoadResult) => [...result.statuses].map(([status, count]) => `${status}×${count}`).join(', ');

/**
 * An open-loop load at a truly steady rate: one request starts every 1000/rate ms whether or not the
 * earlier ones have been answered, and each latency counts from when its request was due (a generator
 * that fell behind is not forgiven). autocannon's `overallRate` is not that: each connection sends its
 * share of the second back to back when the second begins, a burst of `rate` requests once a second,
 * so its percentiles measure the queue of the burst rather than a steady stream.
 */
/** The status recorded for a request that got no complete answer. */
const NO_ANSWER = 0;

export async function runSteady(options: Omit<LoadOptions, 'connections' | 'amount'> & { rate: number }): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let errors = 0;
  const interval = 1000 / options.rate;
  const total = Math.round(options.rate * options.seconds);
  const target = new URL(options.url);
  const inFlight: Promise<void>[] = [];
  const started = performance.now() + 20;
  for (let n = 0; n < total; n++) {
    const due = started + n * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const extra = options.each?.(n) ?? {};
    inFlight.push(
      new Promise<void>((resolve) => {
        const request = http.request(
          { host: target.hostname, port: target.port, agent, method: options.method ?? 'GET', path: extra.path ?? options.path, headers: { ...options.headers, ...extra.headers } },
          (response) => {
            response.resume();
            response.on('end', () => answered(response.statusCode ?? 0));
            // Cut off mid-answer (the timeout below, or the server closing): counted, never waited for.
            response.on('error', () => answered(NO_ANSWER));
          },
        );
        // Each request settles once: an answer, or no answer (status 0, so a caller comparing its
        // expected answers with every latency sees it in describeStatuses).
        let settled = false;
        const answered = (status: number) => {
          if (settled) return;
          settled = true;
          if (status === NO_ANSWER) errors++;
          latencies.push(performance.now() - due);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          resolve();
        };
        request.setTimeout(30_000, () => request.destroy(new Error('timed out')));
        request.on('error', () => answered(NO_ANSWER));
        request.end(extra.body);
      }),
    );
  }
  await Promise.all(inFlight);
  agent.destroy();
  return { latencies, statuses, seconds: (performance.now() - started) / 1000, errors };
}
