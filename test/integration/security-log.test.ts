import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { before, test } from 'node:test';
import { runBackgroundRound, type BackgroundDeps } from '../../src/background.js';
import { createLogger } from '../../src/logger.js';
import { smtpTransport } from '../../src/mail/transport.js';
import { createThrottles } from '../../src/passwords/throttles.js';
import { seedDemoData } from '../../seeds/demo.js';
import { demoIds, StaffClient } from '../helpers/admin-api.js';
import { startApp, testConfig } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/database.js';
import { ESIMERKKILA, FEDERATION } from '../helpers/demo-accounts.js';
import { linksIn } from '../helpers/portal.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';
import { WebClient } from '../helpers/web-client.js';
import type { Db } from '../../src/db/connection.js';

/**
 * The log of a whole member and staff flow, at debug level, with the app's own logger settings:
 * not one set-password token, password, cookie, session id or CSRF token in it, however the
 * addresses were spelled.
 */
const lines: string[] = [];
let db: Db;
let base: string;
let smtp: SmtpSink;
let background: BackgroundDeps;

before(async () => {
  ({ db } = await createTestDatabase());
  await seedDemoData(db, { bcryptCost: 10 });
  smtp = await startSmtpSink();
  const config = testConfig({ SMTP_URL: smtp.url, PUBLIC_URL: 'http://asiointi.example.fi', LOG_LEVEL: 'debug' });
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  const logger = createLogger('debug', sink);
  ({ base } = await startApp(db, { config, logger }));
  background = { db, config, throttles: createThrottles(db), transport: smtpTransport(smtp.url, config.mailFrom), logger };
});

/** Sends all mail due; the set-password link paths in the mail that has arrived since (waits for `count` mails). */
async function deliver(count = 1): Promise<string[]> {
  const already = smtp.messages.length;
  while ((await runBackgroundRound(background)) > 0);
  const messages = await smtp.waitFor(already + count);
  return messages.slice(already).flatMap((message) => linksIn(message.text).map((link) => new URL(link).pathname));
}

/** A secret as it could appear in a log line: as is, %-encoded, and its session id alone. */
function spellings(secret: string): string[] {
  const decoded = decodeURIComponent(secret);
  const sessionId = /^s:([^.]+)\./.exec(decoded)?.[1];
  return [...new Set([secret, decoded, encodeURIComponent(decoded), ...(sessionId ? [sessionId] : [])])].filter((s) => s.length >= 8);
}

test('a whole member and staff flow at debug level logs no token, password, cookie, session id or CSRF token', async () => {
  const secrets: string[] = [];
  const member = new WebClient(base);
  await member.get('/tilaa-salasana');
  secrets.push(member.csrfToken);
  await member.post('/tilaa-salasana', { email: 'liisa.esimerkki@example.fi' });
  const [link] = await deliver();
  assert.ok(link);
  const token = link.split('/').at(-1)!;
  secrets.push(token);

  // The link opened as mail programs and people do: as is, in capitals, with a language, twice.
  for (const path of [link, `/PALAUTA-SALASANA/${token}`, `/Palauta-Salasana/${token}?lang=sv`, `${link}/`, `${link}?utm_source=mail`]) {
    assert.ok([200, 303].includes((await member.get(path)).status), path);
  }
  const password = 'Laiturin nokassa istuu lokki';
  secrets.push(password, encodeURIComponent(password), new URLSearchParams({ password }).toString().slice('password='.length));
  assert.equal((await member.post(`/PALAUTA-SALASANA/${token}`, { password })).status, 200);
  await member.get('/kirjaudu');
  const login = await member.post('/kirjaudu', { memberNumber: '200001', password });
  assert.equal(login.status, 303);
  secrets.push(member.cookie('asiointi')!, member.cookie('asiointi-laite')!, member.csrfToken);
  await member.get('/omat-tiedot');
  secrets.push(member.csrfToken);
  await member.post('/kirjaudu-ulos', {});
  await member.post('/kirjaudu', { memberNumber: '200001', password: `${password} väärin` });

  await deliver(); // the «password changed» notice, so that the next mail is the staff member's link
  const ids = await demoIds(db);
  const federation = await StaffClient.login(base, ...FEDERATION);
  secrets.push(FEDERATION[1], federation.cookie()!);
  await federation.get('/admin');
  await federation.get(`/admin/api/resources/members/actions/list?filters.email=liisa`);
  await federation.get(`/admin/api/resources/members/records/${ids.member('100001')}/show`);
  assert.equal((await federation.post(`/admin/api/resources/members/records/${ids.member('100001')}/sendLink`)).json.notice.type, 'success');
  const [staffSentLink] = await deliver();
  secrets.push(staffSentLink!.split('/').at(-1)!);
  await federation.post('/admin/logout', {});
  const association = await StaffClient.login(base, ...ESIMERKKILA);
  secrets.push(ESIMERKKILA[1], association.cookie()!);
  await association.get('/admin/api/resources/members/actions/list');
  await association.web.post('/admin/login', { email: ESIMERKKILA[0], password: `${ESIMERKKILA[1]}x` });

  const log = lines.join('\n');
  assert.ok(lines.length > 20, `the flow was logged (${lines.length} lines)`);
  assert.match(log, /"level":20|"level":30/, 'debug-level logging was on');
  for (const secret of secrets.filter(Boolean).flatMap(spellings)) {
    const line = lines.find((candidate) => candidate.includes(secret));
    assert.equal(line, undefined, `a secret (${secret.slice(0, 6)}…) is in the log: ${line}`);
  }
  assert.doesNotMatch(log, /cookie|set-cookie|authorization/i, 'no headers are logged');
});
