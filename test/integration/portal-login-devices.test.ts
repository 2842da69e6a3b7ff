import assert from 'node:assert/strict';
import { before, beforeEach, test } from 'node:test';
import { memberAccounts, staffAccounts } from '../../src/passwords/account-kinds.js';
import { clearLoginFailures } from '../../src/passwords/login.js';
import { StaffClient } from '../helpers/admin-api.js';
import { startApp, testConfig } from '../helpers/app.js';
import { demoPasswordRestorer, startPortal, type Portal } from '../helpers/portal.js';
import { visibleText, WebClient } from '../helpers/web-client.js';
import { LIISA } from '../helpers/demo-accounts.js';

/**
 * Trusted devices against lockout of legitimate members (OWASP "device cookies"): a browser where a
 * member has logged in before is not blocked by other people's failures at the same address or on
 * the same number; everyone else is limited per number and per address as before, and an address
 * over its limit is told so without blaming the member number.
 */
let portal: Portal;
let restoreLiisa: () => Promise<void>;
before(async () => {
  portal = await startPortal();
  restoreLiisa = await demoPasswordRestorer(portal.db, '200001');
});
beforeEach(async () => {
  await portal.db('rate_limits').delete();
  await restoreLiisa();
});

const DEVICE_COOKIE = 'asiointi-laite';
const NUMBER_LOCKED = /Kirjautuminen tällä jäsennumerolla on estetty/;
const ORDER_ADVICE = /tilaa uusi salasana/i;
const NETWORK_BLOCKED = /Tästä verkosta on tullut liian monta epäonnistunutta kirjautumisyritystä\. Kirjautuminen tästä verkosta on estetty hetkeksi\. Yritä uudelleen 15 minuutin kuluttua\./;

async function login(memberNumber: string, password: string, client = new WebClient(portal.base)) {
  await client.get('/kirjaudu');
  return client.post('/kirjaudu', { memberNumber, password });
}

/** The inline message at the member number field (the page's footer links to ordering a password anyway). */
const errorMessage = (html: string) => /id="member-number-error"><span class="visually-hidden">[^<]*<\/span>([^<]*)</.exec(html)?.[1]?.trim() ?? '';

/** A browser where Liisa has logged in (and out again): it holds her device cookie. */
async function trustedBrowser(base = portal.base) {
  const client = new WebClient(base);
  const page = await login(...LIISA, client);
  assert.equal(page.status, 303);
  await client.get('/omat-tiedot'); // a logged-in page: the logout form's CSRF token
  await client.post('/kirjaudu-ulos', {});
  assert.ok(client.cookie(DEVICE_COOKIE), 'a successful login leaves a device cookie');
  return client;
}

/** A fresh browser that holds exactly this device cookie value (forged, tampered …) and logs in. */
async function loginHolding(deviceCookie: string, [memberNumber, password]: readonly [string, string]) {
  const form = await fetch(`${portal.base}/kirjaudu`, { headers: { cookie: `${DEVICE_COOKIE}=${deviceCookie}` } });
  const session = form.headers.getSetCookie().map((cookie) => cookie.split(';')[0]);
  const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
  const response = await fetch(`${portal.base}/kirjaudu`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: [...session, `${DEVICE_COOKIE}=${deviceCookie}`].join('; '), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: token, memberNumber, password }),
  });
  return { status: response.status, text: visibleText(await response.text()) };
}

/** What the per-address counter holds after `failures` failed logins from 127.0.0.1. */
async function addressHasFailed(failures: number) {
  await portal.db('rate_limits').insert({ key: 'login-client:127.0.0.1', points: failures, expire: Date.now() + 15 * 60_000 });
}

test('after 100 failures from one address, a browser that has logged in before still logs in; a fresh one is told about the network, not the number', async () => {
  const liisasBrowser = await trustedBrowser();
  const attacker = new WebClient(portal.base);
  await attacker.get('/kirjaudu');
  const statuses: number[] = [];
  for (let i = 0; i < 100; i++) statuses.push((await attacker.post('/kirjaudu', { memberNumber: `9${String(i).padStart(5, '0')}`, password: 'Arvattu salasana' })).status);
  assert.deepEqual(statuses, [...Array(99).fill(401), 429], 'the 100th failure from the address blocks the address');

  const trusted = await login(...LIISA, liisasBrowser);
  assert.equal(trusted.status, 303);
  assert.equal(trusted.location, '/omat-tiedot');

  const fresh = await login(...LIISA);
  assert.equal(fresh.status, 429);
  assert.match(visibleText(fresh.text), NETWORK_BLOCKED);
  const message = errorMessage(fresh.text);
  assert.match(message, NETWORK_BLOCKED);
  assert.doesNotMatch(message, NUMBER_LOCKED);
  assert.doesNotMatch(message, ORDER_ADVICE, 'the page\'s own «Tilaa uusi salasana tästä» link stays, the message does not advise it');
  assert.match(fresh.text, /id="member-number" name="memberNumber" type="text" value="200001"/);
});

test('the network message in Swedish and English', async () => {
  await addressHasFailed(100);
  for (const [lang, expected] of [
    ['sv', /Det har kommit för många misslyckade inloggningsförsök från det här nätverket\. Inloggning från nätverket är spärrad en stund\. Försök igen om 15 minuter\./],
    ['en', /There have been too many failed login attempts from this network\. Logging in from this network is blocked for a while\. Try again in 15 minutes\./],
  ] as const) {
    const client = new WebClient(portal.base);
    await client.get(`/kirjaudu?lang=${lang}`);
    const page = await login(...LIISA, client);
    assert.equal(page.status, 429, lang);
    assert.match(visibleText(page.text), expected);
  }
});

test('ten wrong passwords from another browser lock the number for fresh browsers, not for the member\'s own browser', async () => {
  const liisasBrowser = await trustedBrowser();
  for (let i = 0; i < 10; i++) {
    await login('200001', `Väärä salasana ${i}!`);
    await portal.db('rate_limits').where('key', 'like', 'login-slow:%').delete(); // past the short pauses
  }
  const fresh = await login(...LIISA);
  assert.equal(fresh.status, 429);
  assert.match(visibleText(fresh.text), /Liian monta epäonnistunutta yritystä\. Kirjautuminen tällä jäsennumerolla on estetty hetkeksi\. Yritä uudelleen 15 minuutin kuluttua/);

  const trusted = await login(...LIISA, liisasBrowser);
  assert.equal(trusted.status, 303);
  assert.equal(trusted.location, '/omat-tiedot');
  assert.equal((await login(...LIISA)).status, 429, 'the member\'s own login does not lift the lock others caused (no fresh guesses for them)');
});

test('a trusted browser\'s own wrong passwords pause it like any other browser', async () => {
  const liisasBrowser = await trustedBrowser();
  const statuses: number[] = [];
  for (let i = 0; i < 5; i++) statuses.push((await login('200001', `Väärä salasana ${i}!`, liisasBrowser)).status);
  assert.deepEqual(statuses, [401, 401, 401, 401, 429], 'the fifth failure within 5 minutes pauses this browser');
  const paused = await login(...LIISA, liisasBrowser);
  assert.equal(paused.status, 429);
  assert.match(visibleText(paused.text), /Yritä uudelleen 1 minuutin kuluttua/);
  const ownCounter = await portal.db('rate_limits').where('key', 'like', 'login-device-slow:200001:%').first();
  assert.ok(ownCounter, 'counted per number and device');
  assert.equal(await portal.db('rate_limits').where({ key: 'login-slow:200001' }).first(), undefined, 'not on the number every browser shares');
  assert.equal((await login(...LIISA)).status, 303, 'another browser is not paused by it');
});

test('a tampered, unsigned or foreign-secret device cookie gives no exemption', async () => {
  const genuine = (await trustedBrowser()).cookie(DEVICE_COOKIE)!;
  const elsewhere = await startApp(portal.db, { config: testConfig({ SESSION_SECRET: 'another-secret-that-is-also-long-enough' }) });
  const foreign = (await trustedBrowser(elsewhere.base)).cookie(DEVICE_COOKIE)!;
  const [payload, signature] = genuine.split('.') as [string, string];
  // Well-formed contents with the old signature: another device id (a way out of its own counters) …
  const contents = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
  const edited = Buffer.from(JSON.stringify({ ...contents, d: 'A'.repeat(22) })).toString('base64url');
  const middle = Math.floor(payload.length / 2);
  const cases = [
    ['edited contents', `${edited}.${signature}`],
    ['garbled', `${payload.slice(0, middle)}${payload[middle] === 'A' ? 'B' : 'A'}${payload.slice(middle + 1)}.${signature}`],
    ['unsigned', `${payload}.`],
    ['foreign secret', foreign],
  ] as const;

  await addressHasFailed(100);
  for (const [label, cookie] of cases) {
    const page = await loginHolding(cookie, LIISA);
    assert.equal(page.status, 429, label);
    assert.match(page.text, NETWORK_BLOCKED, label);
  }
  assert.equal((await loginHolding(genuine, LIISA)).status, 303, 'the genuine cookie, sent the same way, is exempt');
});

test('the device cookie: HttpOnly, SameSite=Lax, Path=/, 180 days; __Host- and Secure with https', async () => {
  const page = await login(...LIISA);
  const cookie = page.headers.getSetCookie().find((c) => c.startsWith(`${DEVICE_COOKIE}=`));
  assert.ok(cookie, 'set at login');
  assert.match(cookie!, /; Max-Age=15552000(;|$)/);
  assert.match(cookie!, /; Path=\/(;|$)/);
  assert.match(cookie!, /; HttpOnly/);
  assert.match(cookie!, /; SameSite=Lax/);
  assert.doesNotMatch(cookie!, new RegExp(LIISA[1]));
  assert.equal((await login('200001', 'Väärä salasana')).headers.getSetCookie().some((c) => c.includes(DEVICE_COOKIE)), false, 'not after a failure');

  const https = await startApp(portal.db, { config: testConfig({ PUBLIC_URL: 'https://asiointi.example.fi', TRUST_PROXY: '1' }) });
  const client = new WebClient(https.base, { 'x-forwarded-proto': 'https' });
  const secure = (await login(...LIISA, client)).headers.getSetCookie().find((c) => c.startsWith(`__Host-${DEVICE_COOKIE}=`));
  assert.ok(secure, 'a __Host- cookie');
  assert.match(secure!, /; Secure/);
  assert.doesNotMatch(secure!, /Domain=/);
});

test('staff get no device cookie: their login is separate and stricter', async () => {
  const staff = await StaffClient.login(portal.base, 'sihteeri@mallila.example', 'Demo-mallila-1');
  assert.equal(staff.web.cookie(DEVICE_COOKIE), undefined);
  assert.equal(staff.web.cookie(`__Host-${DEVICE_COOKIE}`), undefined);
});

test('staff at an address over its limit are told about the network, not that their email address is blocked', async () => {
  await addressHasFailed(100);
  const page = await new StaffClient(portal.base).login('sihteeri@mallila.example', 'Demo-mallila-1');
  assert.equal(page.status, 429);
  // AdminJS's login page translates the message key in the browser (test/browser/admin-login-network.test.ts shows the text).
  assert.match(page.text, /"errorMessage":"tooManyFromNetwork"/);
});

test('clearLoginFailures (for a password set through a link) lifts the number\'s and its devices\' counters, and nobody else\'s', async () => {
  const liisasBrowser = await trustedBrowser();
  for (let i = 0; i < 5; i++) await login('200001', `Väärä salasana ${i}!`, liisasBrowser);
  for (let i = 0; i < 5; i++) await login('200001', `Väärä salasana ${i}!`);
  for (let i = 0; i < 5; i++) await new StaffClient(portal.base).login('sihteeri@mallila.example', `Väärä salasana ${i}`);
  await login('100001', 'Väärä salasana');
  assert.equal((await login(...LIISA, liisasBrowser)).status, 429);
  assert.equal((await login(...LIISA)).status, 429);

  await clearLoginFailures(portal.background, memberAccounts, ' 200001 ');
  const left = (await portal.db('rate_limits').orderBy('key').pluck('key')).filter((key: string) => !key.startsWith('login-client:'));
  assert.deepEqual(left, ['login-lock:100001', 'login-lock:staff:sihteeri@mallila.example', 'login-slow:100001', 'login-slow:staff:sihteeri@mallila.example']);
  assert.equal((await login(...LIISA, liisasBrowser)).status, 303, 'the trusted browser\'s own pause is lifted');
  assert.equal((await login(...LIISA)).status, 303, 'the number\'s pause is lifted');

  await clearLoginFailures(portal.background, staffAccounts, 'Sihteeri@Mallila.example');
  assert.deepEqual((await portal.db('rate_limits').orderBy('key').pluck('key')).filter((key: string) => key.includes('staff:')), [], 'staff keys are found from the address as typed');
});
