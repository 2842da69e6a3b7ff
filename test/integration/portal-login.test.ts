import assert from 'node:assert/strict';
import { before, beforeEach, test } from 'node:test';
import pg from 'pg';
import { SESSION_ABSOLUTE_MS } from '../../src/sessions/member-session.js';
import { startApp, testConfig } from '../helpers/app.js';
import { demoPasswordRestorer, linksIn, startPortal, type Portal } from '../helpers/portal.js';
import { sessionIdOf, visibleText, WebClient } from '../helpers/web-client.js';
import { LIISA } from '../helpers/demo-accounts.js';

let portal: Portal;
let restoreLiisa: () => Promise<void>;
before(async () => {
  portal = await startPortal();
  restoreLiisa = await demoPasswordRestorer(portal.db, '200001');
});
beforeEach(async () => {
  await portal.db('rate_limits').delete();
  await restoreLiisa(); // each test starts with Liisa's demo password, Liisan-salasana-2026
});

async function login(memberNumber: string, password: string, client = new WebClient(portal.base)) {
  await client.get('/kirjaudu');
  return client.post('/kirjaudu', { memberNumber, password });
}


test('login with member number and password leads to the member\'s own details', async () => {
  const client = new WebClient(portal.base);
  const page = await login(...LIISA, client);
  assert.equal(page.status, 303);
  assert.equal(page.location, '/omat-tiedot');
  const account = await client.get('/omat-tiedot');
  const text = visibleText(account.text);
  for (const expected of ['Liisa Esimerkki', '200001', 'Mallilan Invalidit ry', 'liisa.esimerkki@example.fi', 'sihteeri@mallila.example', 'jasenasiat@invalidiliitto.fi', 'Kirjaudu ulos']) {
    assert.ok(text.includes(expected), expected);
  }
  assert.equal(account.headers.get('cache-control'), 'no-store');
});

test('an unknown number and a wrong password: the same message and status; number kept, password cleared', async () => {
  const unknown = await login('999999', 'Mikä tahansa salasana');
  const wrong = await login('200001', 'Väärä salasana tähän');
  assert.equal(unknown.status, 401);
  assert.equal(wrong.status, 401);
  const message = /Jäsennumero tai salasana on väärin/;
  assert.match(visibleText(unknown.text), message);
  assert.match(visibleText(wrong.text), message);
  assert.equal(visibleText(unknown.text).replace('999999', 'N'), visibleText(wrong.text).replace('200001', 'N'));
  assert.match(wrong.text, /id="member-number" name="memberNumber" type="text" value="200001"/);
  assert.match(wrong.text, /id="password" name="password" type="password" value=""/);
  assert.match(wrong.text, /<title>Virhe:/);
});

test('an unknown number takes as long as a wrong password (a dummy hash is checked)', async () => {
  const time = async (number: string) => {
    const client = new WebClient(portal.base);
    await client.get('/kirjaudu');
    const started = performance.now();
    await client.post('/kirjaudu', { memberNumber: number, password: 'Väärä salasana tähän' });
    return performance.now() - started;
  };
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const unknown: number[] = [];
  const wrong: number[] = [];
  for (let i = 0; i < 5; i++) {
    unknown.push(await time(`99999${i}`));
    wrong.push(await time('100001')); // a member without a password: the dummy path too
    await portal.db('rate_limits').delete();
  }
  const liisa: number[] = [];
  for (let i = 0; i < 5; i++) {
    liisa.push(await time('200001'));
    await portal.db('rate_limits').delete();
  }
  // bcrypt dominates (~65 ms at cost 10); a skipped hash would be an order of magnitude faster.
  for (const samples of [unknown, wrong]) assert.ok(median(samples) > median(liisa) * 0.5, `${median(samples)} vs ${median(liisa)}`);
});

test('an ended membership cannot log in, even with the right password', async () => {
  await portal.db('member_credentials').insert({ member_id: portal.db('members').select('id').where({ member_number: '200003' }), password_hash: portal.db('member_credentials').select('password_hash').where({ member_id: portal.db('members').select('id').where({ member_number: '200001' }) }) });
  const page = await login('200003', LIISA[1]);
  assert.equal(page.status, 401);
  assert.match(visibleText(page.text), /Jäsennumero tai salasana on väärin/);
});

test('empty fields get their own messages, linked from the error summary', async () => {
  const page = await login('', '');
  assert.equal(page.status, 400);
  assert.match(visibleText(page.text), /Kirjoita jäsennumerosi/);
  assert.match(visibleText(page.text), /Kirjoita salasanasi/);
  assert.match(page.text, /<a href="#member-number">/);
  assert.match(page.text, /<a href="#password">/);
  assert.match(page.text, /data-error-summary/);
});

test('repeated failures slow down and then lock the number for a while; a correct password is refused meanwhile', async () => {
  const statuses: number[] = [];
  for (let i = 0; i < 5; i++) statuses.push((await login('200001', `Väärä salasana ${i}!`)).status);
  assert.deepEqual(statuses, [401, 401, 401, 401, 429], 'the fifth failure within 5 minutes pauses the number');
  const paused = await login(...LIISA);
  assert.equal(paused.status, 429);
  assert.match(visibleText(paused.text), /Liian monta epäonnistunutta yritystä.*Yritä uudelleen 1 minuutin kuluttua/);

  // The pause ends by itself (time moved forward in the counter table) …
  await portal.db('rate_limits').where('key', 'like', 'login-slow:%').update({ expire: Date.now() - 1 });
  assert.equal((await login(...LIISA)).status, 303);
  // … and the other numbers were never affected.
  assert.equal((await login('100001', 'Mikä tahansa salasana')).status, 401);
});

test('ten failures in an hour lock the number for 15 minutes, never for good; a link lifts the lock', async () => {
  for (let i = 0; i < 10; i++) {
    await login('200001', `Väärä salasana ${i}!`);
    await portal.db('rate_limits').where('key', 'like', 'login-slow:%').delete(); // past the short pauses
  }
  const locked = await login(...LIISA);
  assert.equal(locked.status, 429);
  assert.match(visibleText(locked.text), /Yritä uudelleen 15 minuutin kuluttua/);
  const lock = await portal.db('rate_limits').where('key', 'login-lock:200001').first();
  assert.ok(Number(lock.expire) - Date.now() <= 15 * 60 * 1000, 'the lock expires');

  const client = new WebClient(portal.base);
  await client.get('/tilaa-salasana');
  await client.post('/tilaa-salasana', { email: 'liisa.esimerkki@example.fi' });
  await portal.deliverMail();
  const link = new URL(linksIn((await portal.smtp.waitFor(1)).at(-1)!.text)[0]!).pathname;
  await client.get(link);
  assert.match(visibleText((await client.post(link, { password: 'Lukko aukeaa linkillä' })).text), /Salasana on vaihdettu/);
  assert.equal((await login('200001', 'Lukko aukeaa linkillä')).status, 303);
});

test('failures from one client address are limited across numbers', async () => {
  await portal.db('rate_limits').insert({ key: 'login-client:127.0.0.1', points: 101, expire: Date.now() + 60_000 });
  const page = await login('100001', 'Mikä tahansa salasana');
  assert.equal(page.status, 429);
  // The address is what is over its limit: the member number is not blamed, and a new password would not help.
  const message = /id="member-number-error"><span class="visually-hidden">[^<]*<\/span>([^<]*)</.exec(page.text)?.[1] ?? '';
  assert.match(message, /^ Tästä verkosta on tullut liian monta epäonnistunutta kirjautumisyritystä\..*Yritä uudelleen 1 minuutin kuluttua\.$/);
  assert.doesNotMatch(message, /jäsennumero|tilaa uusi salasana/i);
});

test('no session before login, a fresh session id at every login; logout is a POST that ends the session', async () => {
  const client = new WebClient(portal.base);
  const sessionsBefore = Number((await portal.db('member_sessions').count({ n: '*' }).first())?.n);
  await client.get('/kirjaudu');
  assert.equal(client.cookie('asiointi'), undefined, 'reading the login form makes no session');
  assert.ok(client.cookie('asiointi-csrf'), 'its CSRF token comes as a signed cookie instead');
  assert.equal(Number((await portal.db('member_sessions').count({ n: '*' }).first())?.n), sessionsBefore, 'and no session row');
  await client.post('/kirjaudu', { memberNumber: LIISA[0], password: LIISA[1] });
  const first = client.cookie('asiointi');
  assert.ok(first, 'logging in starts a session');
  assert.equal((await client.get('/kirjaudu')).location, '/omat-tiedot', 'a logged-in member opening the login page goes to their own page');
  const stranger = await new WebClient(portal.base).get('/omat-tiedot');
  assert.equal(stranger.location, '/kirjaudu', 'without any cookie the member page sends to the login page');

  assert.equal((await client.get('/kirjaudu-ulos')).status, 404, 'no logout by GET');
  const account = await client.get('/omat-tiedot');
  assert.equal(account.status, 200);
  const out = await client.post('/kirjaudu-ulos', {});
  assert.match(visibleText(out.text), /Olet kirjautunut ulos/);
  assert.equal((await client.get('/omat-tiedot')).status, 303);

  await client.get('/kirjaudu');
  await client.post('/kirjaudu', { memberNumber: LIISA[0], password: LIISA[1] });
  const second = client.cookie('asiointi');
  assert.ok(second && second !== first, 'a new session id');
});

/**
 * Under load every round trip to the database lengthens every login (bench/RESULTS.md): a login is one
 * statement before the password check (its counters with the member) and one after it (the session
 * with its audit row, stored together or not at all).
 */
test('a login is two statements: the counters with the member, then the session with its audit row', async () => {
  await login(...LIISA); // the pool's connections opened and its statements prepared
  const client = new WebClient(portal.base);
  await client.get('/kirjaudu');
  const sent: string[] = [];
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, config: unknown, ...rest: unknown[]) {
    sent.push(typeof config === 'string' ? config : String((config as { text: string }).text));
    return (query as (...args: unknown[]) => unknown).call(this, config, ...rest);
  } as typeof query;
  let page;
  try {
    page = await client.post('/kirjaudu', { memberNumber: LIISA[0], password: LIISA[1] });
  } finally {
    pg.Client.prototype.query = query;
  }
  assert.equal(page.location, '/omat-tiedot');
  assert.equal(sent.length, 2, sent.join('\n---\n'));
  assert.match(sent[0]!, /rate_limits[\s\S]*members/);
  assert.match(sent[1]!, /INSERT INTO audit_log[\s\S]*INSERT INTO "member_sessions"/);
  const audit = await portal.db('audit_log').orderBy('id', 'desc').first('action', 'actor_type', 'member_id');
  assert.deepEqual(audit, { action: 'login.succeeded', actor_type: 'member', member_id: (await portal.db('members').where({ member_number: LIISA[0] }).first('id')).id });
});

test('logging in again while logged in gives a new session id; the old one is gone from the store and lets no one in', async () => {
  const client = new WebClient(portal.base);
  await client.get('/kirjaudu');
  await client.post('/kirjaudu', { memberNumber: LIISA[0], password: LIISA[1] });
  const first = client.cookie('asiointi');
  assert.ok(await portal.db('member_sessions').where({ sid: sessionIdOf(first) }).first(), 'the first login is stored');
  await client.get('/omat-tiedot'); // the logged-in session's form token, as a form in another tab would carry it
  assert.equal((await client.post('/kirjaudu', { memberNumber: LIISA[0], password: LIISA[1] })).status, 303);
  const second = client.cookie('asiointi');
  assert.ok(second && sessionIdOf(second) !== sessionIdOf(first), 'a new session id');
  assert.equal(await portal.db('member_sessions').where({ sid: sessionIdOf(first) }).first(), undefined, 'the old session is gone');
  const response = await fetch(`${portal.base}/omat-tiedot`, { redirect: 'manual', headers: { cookie: `asiointi=${first}` } });
  assert.equal(response.status, 303, 'the old cookie leads to the login');
  assert.equal((await client.get('/omat-tiedot')).status, 200, 'the new one works');
});

test('a form token from before login does not work after it: the logged-in token is bound to the session', async () => {
  const client = new WebClient(portal.base);
  await client.get('/kirjaudu');
  const anonymousToken = client.csrfToken;
  await client.post('/kirjaudu', { memberNumber: LIISA[0], password: LIISA[1] });
  const refused = await client.post('/kirjaudu-ulos', { _csrf: anonymousToken });
  assert.equal(refused.status, 403);
  assert.equal((await client.get('/omat-tiedot')).status, 200, 'still logged in');
  const out = await client.post('/kirjaudu-ulos', {});
  assert.match(visibleText(out.text), /Olet kirjautunut ulos/);
});

// The set-password form is protected by its link instead (portal-reset: another site's post is refused).
test('every form refuses a POST without its CSRF token', async () => {
  const queuedBefore = Number((await portal.db('mail_queue').count({ n: '*' }).first())?.n);
  for (const [path, fields] of [
    ['/kirjaudu', { memberNumber: LIISA[0], password: LIISA[1] }],
    ['/tilaa-salasana', { email: 'liisa.esimerkki@example.fi' }],
    ['/kirjaudu-ulos', {}],
  ] as const) {
    const client = new WebClient(portal.base);
    await client.get('/kirjaudu');
    const wrongToken = await client.post(path, { ...fields, _csrf: 'forged' });
    assert.equal(wrongToken.status, 403, path);
    assert.match(visibleText(wrongToken.text), /Lomake vanheni/);
    const noSession = await new WebClient(portal.base).post(path, fields);
    assert.equal(noSession.status, 403, path);
  }
  assert.equal(Number((await portal.db('mail_queue').count({ n: '*' }).first())?.n), queuedBefore, 'no mail was queued');
});

test('a session ends after 30 idle minutes and 12 hours after login, however active', async () => {
  const client = new WebClient(portal.base);
  await login(...LIISA, client);
  assert.equal((await client.get('/omat-tiedot')).status, 200);
  await portal.db('member_sessions').update({ expire: portal.db.raw(`now() - interval '1 second'`) });
  assert.equal((await client.get('/omat-tiedot')).status, 303, 'idle timeout');

  await login(...LIISA, client);
  await portal.db('member_sessions').update({ sess: portal.db.raw(`jsonb_set(sess::jsonb, '{loggedInAt}', to_jsonb(?::bigint))::json`, [Date.now() - SESSION_ABSOLUTE_MS - 1000]) });
  assert.equal((await client.get('/omat-tiedot')).status, 303, 'absolute timeout');
});

test('with an https PUBLIC_URL the cookies are Secure, HttpOnly, SameSite and named __Host-', async () => {
  const config = testConfig({ PUBLIC_URL: 'https://asiointi.example.fi', TRUST_PROXY: '1' });
  const { base } = await startApp(portal.db, { config });
  const client = new WebClient(base, { 'x-forwarded-proto': 'https' });
  const form = await client.get('/kirjaudu');
  const csrfCookie = form.headers.getSetCookie().find((c) => c.startsWith('__Host-asiointi-csrf='));
  assert.ok(csrfCookie, 'a __Host- CSRF cookie');
  assert.match(csrfCookie!, /; Path=\//);
  assert.match(csrfCookie!, /; HttpOnly/);
  assert.match(csrfCookie!, /; Secure/);
  assert.match(csrfCookie!, /; SameSite=Strict/);
  assert.doesNotMatch(csrfCookie!, /Domain=/);

  const login = await client.post('/kirjaudu', { memberNumber: LIISA[0], password: LIISA[1] });
  assert.equal(login.status, 303);
  const cookie = login.headers.getSetCookie().find((c) => c.startsWith('__Host-asiointi='));
  assert.ok(cookie, 'a __Host- session cookie');
  assert.match(cookie!, /; Path=\//);
  assert.match(cookie!, /; HttpOnly/);
  assert.match(cookie!, /; Secure/);
  assert.match(cookie!, /; SameSite=Lax/);
  assert.doesNotMatch(cookie!, /Domain=/);
});

test('security headers: a CSP with no inline script and no other hosts', async () => {
  const response = await fetch(`${portal.base}/kirjaudu`);
  const csp = response.headers.get('content-security-policy') ?? '';
  assert.match(csp, /default-src 'self'/);
  assert.match(csp, /script-src 'self'(;|$)/);
  assert.doesNotMatch(csp, /unsafe-inline|https?:/);
  assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
  assert.match(response.headers.get('x-frame-options') ?? '', /SAMEORIGIN|DENY/);
  const html = await response.text();
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc="\/static\/)/, 'no inline script');
  assert.doesNotMatch(html, /(src|href)="https?:\/\//, 'nothing from another host');
});
