import { pino } from 'pino';
import { onFileEnd } from './cleanup.js';
import type { Config } from '../../src/config.js';
import type { Db } from '../../src/db/connection.js';
import type { Logger } from '../../src/logger.js';
import { smtpTransport } from '../../src/mail/transport.js';
import { runBackgroundRound, type BackgroundDeps } from '../../src/background.js';
import { createThrottles } from '../../src/passwords/throttles.js';
import { seedDemoData } from '../../seeds/demo.js';
import { startApp, testConfig } from './app.js';
import { createTestDatabase } from './database.js';
import { startSmtpSink, type SmtpSink } from './smtp-sink.js';
import { WebClient } from './web-client.js';

export interface Portal {
  base: string;
  db: Db;
  config: Config;
  smtp: SmtpSink;
  /** What the app's services and background worker get: the same database, throttles and SMTP sink. */
  background: BackgroundDeps;
  /** Runs the background worker until there is nothing left: staff link sends become mail, and all mail due is sent. */
  deliverMail(): Promise<number>;
}

/** The real app on a fresh database with the demo data, sending mail to a real SMTP server on loopback. */
export async function startPortal(env: Record<string, string> = {}): Promise<Portal> {
  const { db } = await createTestDatabase();
  await seedDemoData(db, { bcryptCost: 10 });
  const smtp = await startSmtpSink();
  const config = testConfig({ SMTP_URL: smtp.url, PUBLIC_URL: 'http://asiointi.example.fi', ...env });
  const { base } = await startApp(db, { config });
  const transport = smtpTransport(smtp.url, config.mailFrom);
  onFileEnd(() => transport.close());
  const logger = pino({ level: 'silent' }) as Logger;
  const deps: BackgroundDeps = { db, config, throttles: createThrottles(db), transport, logger };
  const deliverMail = async () => {
    let total = 0;
    for (let handled = await runBackgroundRound(deps); handled > 0; handled = await runBackgroundRound(deps)) total += handled;
    return total;
  };
  return { base, db, config, smtp, background: deps, deliverMail };
}

/**
 * Between the tests of a file sharing one portal: no rate-limit counters, nothing left in the mail
 * queue (what an earlier test queued is sent now), an empty SMTP sink.
 */
export async function startClean(portal: Portal): Promise<void> {
  await portal.db('rate_limits').delete();
  await portal.deliverMail();
  portal.smtp.clear();
}

/** Orders a link for an address through the portal's form, sends the mail, and returns its link paths (member-number order). */
export async function orderLinkPaths(portal: Portal, email: string): Promise<string[]> {
  const client = new WebClient(portal.base);
  await client.get('/tilaa-salasana');
  await client.post('/tilaa-salasana', { email });
  const already = portal.smtp.messages.length;
  await portal.deliverMail();
  const messages = await portal.smtp.waitFor(already + 1);
  return linksIn(messages.at(-1)!.text).map((link) => new URL(link).pathname);
}

/** Links to the «PALAUTA SALASANA» page found in a mail's plain-text part. */
export function linksIn(text: string | undefined): string[] {
  return [...(text ?? '').matchAll(/https?:\/\/\S+\/palauta-salasana\/[A-Za-z0-9_-]+(?:\?lang=\w+)?/g)].map((m) => m[0]);
}

/** Puts a demo member's password hash back as it was when this was called (tests that change it share a portal). */
export async function demoPasswordRestorer(db: Db, memberNumber: string): Promise<() => Promise<void>> {
  const memberId = () => db('members').select('id').where({ member_number: memberNumber });
  const { password_hash: original } = await db('member_credentials').where({ member_id: memberId() }).first();
  return async () => {
    await db('member_credentials').where({ member_id: memberId() }).update({ password_hash: original });
  };
}
