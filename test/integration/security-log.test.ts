import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { before, test } from 'node:test';
import { runBackgroundRound, type BackgroundDeps } from '../../src/background.js';
import { createLogger, type Logger } from '../../src/logger.js';
import { smtpTransport } from '../../src/mail/transport.js';
import { startMaintenance } from '../../src/maintenance.js';
import { createThrottles } from '../../src/passwords/throttles.js';
import { seedDemoData } from '../../seeds/demo.js';
import { demoIds, StaffClient } from '../helpers/admin-api.js';
import { startApp, testConfig } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/database.js';
import { ESIMERKKILA, FEDERATION } from '../helpers/demo-accounts.js';
import { linksIn } from '../helpers/portal.js';
import { addStaff, passwordStep, postForm, recoveryCodesOnPage, secretOnPage, totpCode, wrongCode } from '../helpers/second-factor.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';
import { WebClient } from '../helpers/web-client.js';
import type { Config } from '../../src/config.js';
import { reasonOf, type Db } from '../../src/db/connection.js';

/**
 * The log of a whole member and staff flow, at debug level, with the app's own logger settings:
 * not one set-password token, password, cookie, session id or CSRF token in it, however the
 * addresses were spelled; and of a staff member's second factor (enrolment, a login with a code,
 * a wrong code, a recovery code), neither the secret in any of its encodings, nor a code typed,
 * nor a recovery code.
 */
const lines: string[] = [];
let db: Db;
let base: string;
let smtp: SmtpSink;
let config: Config;
let logger: Logger;
let background: BackgroundDeps;

before(async () => {
  ({ db } = await createTestDatabase());
  await seedDemoData(db, { bcryptCost: 10 });
  smtp = await startSmtpSink();
  config = testConfig({ SMTP_URL: smtp.url, PUBLIC_URL: 'http://asiointi.example.fi', LOG_LEVEL: 'debug' });
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  // The level from the app's configuration (LOG_LEVEL), as src/start-server.ts makes its logger.
  logger = createLogger(config.logLevel, sink);
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

/** Base32 (RFC 4648) to bytes, as authenticator apps and the app's TOTP library read the secret. */
function base32Bytes(text: string): Buffer {
  const bits = [...text].map((char) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'.indexOf(char).toString(2).padStart(5, '0')).join('');
  return Buffer.from((bits.match(/.{8}/g) ?? []).map((byte) => parseInt(byte, 2)));
}

/**
 * The second factor's secrets, named, in every form the app has them: the TOTP secret in base32 (as
 * in the otpauth:// address of the QR code), in groups of four (as the enrolment page shows it), in
 * lower case, its key bytes in hex and base64, and as stored (sealed, and its ciphertext alone);
 * each recovery code as shown, in capitals and without its hyphen.
 */
function secondFactorSecrets(secret: string, sealed: string, recoveryCodes: string[]): Array<[string, string]> {
  const key = base32Bytes(secret);
  return [
    ['TOTP secret (base32)', secret],
    ['TOTP secret (groups of four)', secret.match(/.{1,4}/g)!.join(' ')],
    ['TOTP secret (groups, %-encoded)', encodeURIComponent(secret.match(/.{1,4}/g)!.join(' '))],
    ['TOTP secret (lower case)', secret.toLowerCase()],
    ['TOTP key (hex)', key.toString('hex')],
    ['TOTP key (base64)', key.toString('base64').replace(/=+$/, '')],
    ['TOTP key (base64url)', key.toString('base64url')],
    ['TOTP secret (as stored)', sealed],
    ['TOTP secret (stored ciphertext)', sealed.split('.').at(-1)!],
    ...recoveryCodes.flatMap((code): Array<[string, string]> => [
      ['recovery code', code],
      ['recovery code (capitals)', code.toUpperCase()],
      ['recovery code (without hyphen)', code.replace('-', '')],
    ]),
  ];
}

test('a whole member and staff flow at debug level logs no token, password, cookie, session id, CSRF token or second-factor secret', async () => {
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
  await member.get('/kirjaudu');
  assert.equal((await member.post('/kirjaudu', { memberNumber: '200001', password: `${password} väärin` })).status, 401, 'a wrong password reaches the login');

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
  assert.equal((await new StaffClient(base).login(ESIMERKKILA[0], `${ESIMERKKILA[1]}x`)).status, 401, 'a wrong staff password reaches the login');

  // A staff member's second factor: enrolment from the back-office (the key read off the page, the
  // first code typed), then a login with a code, and one with a wrong code and then a recovery code.
  const staffEmail = 'kaksivaihe.loki@yhdistys.example';
  const staffPassword = 'Lokin-kaksivaihe-salasana-1';
  const staffId = await addStaff(db, staffEmail, staffPassword);
  secrets.push(staffPassword);
  const enrolling = await StaffClient.login(base, staffEmail, staffPassword);
  secrets.push(enrolling.cookie()!);
  const enrolPage = await enrolling.get('/admin/kaksivaiheinen/kayttoonotto');
  assert.equal(enrolPage.status, 200);
  const totpSecret = secretOnPage(enrolPage.text);
  const codes: string[] = [totpCode(totpSecret)];
  const enrolled = await postForm(enrolling, '/admin/kaksivaiheinen/kayttoonotto', { code: codes[0]! });
  assert.equal(enrolled.status, 200, 'enrolled');
  const recoveryCodes = recoveryCodesOnPage(enrolled.text);
  assert.equal(recoveryCodes.length, 10);
  await postForm(enrolling, '/admin/logout', {});
  const { secret_encrypted: sealed } = await db('staff_second_factors').where({ staff_user_id: staffId }).first('secret_encrypted');

  const withCode = await passwordStep(base, staffEmail, staffPassword);
  assert.equal(withCode.location, '/admin/kaksivaiheinen');
  secrets.push(withCode.client.cookie()!);
  codes.push(totpCode(totpSecret, Date.now(), 1));
  const loggedIn = await postForm(withCode.client, '/admin/kaksivaiheinen', { code: codes[1]! });
  assert.equal(loggedIn.status, 303, 'logged in with the code');
  secrets.push(withCode.client.cookie()!);
  assert.equal((await withCode.client.get('/admin/api/resources/members/actions/list')).status, 200);
  await postForm(withCode.client, '/admin/logout', {});

  const withRecovery = await passwordStep(base, staffEmail, staffPassword);
  secrets.push(withRecovery.client.cookie()!);
  codes.push(wrongCode(totpSecret));
  assert.equal((await postForm(withRecovery.client, '/admin/kaksivaiheinen', { code: codes[2]! })).status, 401, 'a wrong code is refused');
  assert.equal((await postForm(withRecovery.client, '/admin/kaksivaiheinen/varakoodi', { recoveryCode: recoveryCodes[0]! })).status, 200, 'logged in with a recovery code');
  secrets.push(withRecovery.client.cookie()!);
  await postForm(withRecovery.client, '/admin/logout', {});

  // The housekeeping a web process runs beside the requests (src/start-server.ts), on the same logger.
  await startMaintenance(db, config, logger).stop();

  const log = lines.join('\n');
  const entries = lines.map((line) => JSON.parse(line) as { level: number; msg?: string; req?: { method?: string; url?: string } });
  // Not vacuous: the level came from the configuration, debug lines were written, and the flow's requests are all in the log.
  assert.equal(config.logLevel, 'debug');
  assert.ok(logger.isLevelEnabled('debug'), 'the app logger writes debug lines');
  assert.ok(lines.length > 30, `the flow was logged (${lines.length} lines)`);
  assert.ok(entries.some((entry) => entry.level === 20 && entry.msg === 'maintenance done'), 'a debug-level line of the app is in the log');
  const logged = new Set(entries.filter((entry) => entry.level === 30 && entry.req?.url).map((entry) => `${entry.req!.method} ${entry.req!.url}`));
  for (const request of [
    'POST /tilaa-salasana',
    'GET /palauta-salasana/[redacted]',
    'POST /PALAUTA-SALASANA/[redacted]',
    'POST /kirjaudu',
    'POST /admin/login',
    'GET /admin/kaksivaiheinen/kayttoonotto',
    'POST /admin/kaksivaiheinen/kayttoonotto',
    'POST /admin/kaksivaiheinen',
    'POST /admin/kaksivaiheinen/varakoodi',
  ]) {
    assert.ok(logged.has(request), `the request line of ${request} is in the log`);
  }
  assert.ok(entries.some((entry) => entry.level === 30 && entry.msg === 'mail sent'), 'the mail worker’s lines are in the log');

  for (const secret of secrets.filter(Boolean).flatMap(spellings)) {
    const line = lines.find((candidate) => candidate.includes(secret));
    assert.equal(line, undefined, `a secret (${secret.slice(0, 6)}…) is in the log: ${line}`);
  }
  // The second factor: every secret named, each found in the log reported.
  const found = secondFactorSecrets(totpSecret, sealed, recoveryCodes).flatMap(([what, value]) => {
    const line = lines.find((candidate) => candidate.includes(value));
    return line ? [`${what} in: ${line.slice(0, 300)}`] : [];
  });
  // A code typed is six digits: found only as a whole (not inside a time stamp or a request id).
  for (const [index, code] of codes.entries()) {
    const line = lines.find((candidate) => new RegExp(`(?<![0-9A-Za-z])${code}(?![0-9A-Za-z])`).test(candidate));
    if (line) found.push(`code typed #${index + 1} (${code}) in: ${line.slice(0, 300)}`);
  }
  assert.deepEqual(found, [], 'no second-factor secret, code typed or recovery code is in the log');
  assert.doesNotMatch(log, /cookie|set-cookie|authorization/i, 'no headers are logged');
});

test('a failed statement, logged and kept as a reason, carries neither its values nor the row it failed on', async () => {
  const secretAddress = 'ei.lokiin.koskaan@example.fi';
  const failure = await db('members')
    .insert({ member_number: '100001', first_name: 'Lokiton', last_name: 'Rivi', email: secretAddress, association_id: (await db('associations').first('id')).id, membership_status: 'active' })
    .then(() => undefined, (error: unknown) => error);
  assert.ok(failure instanceof Error, 'the member number is taken: the insert fails');
  assert.doesNotMatch(failure.message, /ei\.lokiin/, 'the statement is named with its placeholders, not its values');
  assert.match(reasonOf(failure), /^duplicate key value violates unique constraint "members_member_number_unique"$/, 'the reason is the database\'s own words');
  const before = lines.length;
  logger.error({ err: failure }, 'a statement failed');
  const logged = lines.slice(before).join('\n');
  assert.match(logged, /a statement failed/);
  assert.doesNotMatch(logged, /ei\.lokiin|Lokiton|100001/, 'nor does the log line (PostgreSQL\'s detail names the failing key or row)');
});
