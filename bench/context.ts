import type { BenchDatabase } from './database.js';
import type { BenchOptions } from './options.js';
import type { Running } from './processes.js';
import type { Row } from './report.js';
import type { SmtpCounter } from './smtp-counter.js';

/** What every measurement gets: the sizes, the bench database, the running app and the SMTP counter. */
export interface BenchContext {
  options: BenchOptions;
  database: BenchDatabase;
  app: Running;
  smtp: SmtpCounter;
  progress(line: string): void;
}

export type Measurement = (context: BenchContext) => Promise<Row[]>;

/** Extra notes that go under the table (what a row cannot say in a cell). */
export const notes: string[] = [];

/** A unique client address per simulated person: the app trusts one proxy (TRUST_PROXY=1). */
export const clientAddress = (n: number) => `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;

/** The cookie (name=value) a page's form token goes with: the signed CSRF cookie, from the Set-Cookie headers. */
export function formCookie(response: Response): string {
  const cookies = response.headers.getSetCookie().map((line) => line.split(';')[0]!);
  const cookie = cookies.find((line) => !line.startsWith('kieli=') && !line.startsWith('asiointi-laite='));
  if (!cookie) throw new Error(`no form cookie in the answer (${response.status})`);
  return cookie;
}

/** The form token in a page (`name="_csrf" value="…"`). */
export function formToken(html: string): string {
  const token = /name="_csrf"\s+value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error('no _csrf field in the page');
  return token;
}
