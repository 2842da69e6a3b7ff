import { parseArgs } from 'node:util';

/**
 * Sizes of one bench run. The full run is what bench/RESULTS.md shows; the smoke run (CI) uses tiny
 * sizes so that every measurement and baseline still runs end to end, and never writes RESULTS.md.
 */
export interface BenchOptions {
  smoke: boolean;
  /** Members added by the bulk seed. */
  members: number;
  /** Members in the staff link send («send to everyone without a password» in the issue: 30,000). */
  sendMembers: number;
  /** Seconds of each load measurement. */
  seconds: number;
  /**
   * Interleaved rounds of the login and page measurements and their baselines (a page's CPU: the median
   * of the rounds' ratios, its `seconds` split between them). Login rates are the median of the rounds,
   * p95s are over every round's logins (a round's own p95, of about 200 logins, moves by ±10 ms).
   */
  rounds: number;
  /** bcrypt cost of the member passwords, as BCRYPT_COST of the app. */
  bcryptCost: number;
  /** Only these measurements (`--only search,bulk-send`), for working on one; RESULTS.md is then not written. */
  only: string[] | undefined;
  /** `--profile DIR`: the app runs with `node --cpu-prof` and writes its profile there when it stops. */
  profileDir: string | undefined;
}

export function readOptions(argv = process.argv.slice(2), env = process.env): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      smoke: { type: 'boolean', default: false },
      members: { type: 'string' },
      send: { type: 'string' },
      seconds: { type: 'string' },
      only: { type: 'string' },
      profile: { type: 'string' },
    },
  });
  const smoke = values.smoke || env.BENCH_SMOKE === '1';
  const number = (raw: string | undefined, fallback: number, name: string) => {
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a whole number above 0`);
    return value;
  };
  const members = number(values.members, smoke ? 200 : 100_000, 'members');
  return {
    smoke,
    members,
    sendMembers: Math.min(number(values.send, smoke ? 100 : 30_000, 'send'), members),
    seconds: number(values.seconds, smoke ? 1 : 10, 'seconds'),
    rounds: smoke ? 1 : 5,
    // The app's default (BCRYPT_COST 11); the smoke run only checks that the path works.
    bcryptCost: smoke ? 10 : 11,
    only: values.only?.split(',').map((name) => name.trim()),
    profileDir: values.profile,
  };
}
