import assert from 'node:assert/strict';
import { before, beforeEach, test } from 'node:test';
import type { Request, Response } from 'express';
import { languageMiddleware } from '../../src/i18n/language-middleware.js';
import { sameOrigin } from '../helpers/admin-api.js';
import { startPortal, type Portal } from '../helpers/portal.js';
import { rawRequest } from '../helpers/raw-http.js';
import { visibleText, WebClient } from '../helpers/web-client.js';

/**
 * Input that needs no login and used to end as a 500 with a stack trace in the log: a broken
 * `kieli` cookie, a NUL byte in a form field, a broken %-escape or invalid UTF-8 anywhere, odd
 * bodies on the back-office login and a very long staff email. Each is now a 4xx, in the person's
 * language where a person reads it.
 */
let portal: Portal;
before(async () => {
  portal = await startPortal();
});
beforeEach(async () => {
  await portal.db('rate_limits').delete();
});

const FINNISH_400 = /Pyyntöä ei voitu käsitellä/;
const SWEDISH_400 = /Begäran kunde inte behandlas/;

test('a kieli cookie that is not valid %-encoding answers 400 in Finnish and is cleared; the next page works', async () => {
  for (const value of ['%', '%E0%A4%A', '%00', 'sv%ZZ', '%C3%28']) {
    const answer = await rawRequest(portal.base, { target: '/kirjaudu', headers: { cookie: `kieli=${value}` } });
    assert.equal(answer.status, 400, `kieli=${value}: ${answer.text.slice(0, 200)}`);
    assert.match(visibleText(answer.text), FINNISH_400, value);
    assert.match(answer.header('set-cookie') ?? '', /kieli=;.*Expires=Thu, 01 Jan 1970/i, `kieli=${value} is cleared`);
    const next = await rawRequest(portal.base, { target: '/kirjaudu' });
    assert.equal(next.status, 200);
  }
});

test('the language middleware reads a broken kieli cookie as no choice: it never throws', () => {
  for (const value of ['%', '%E0%A4%A', '%00', '%C3%28', 'sv%ZZ']) {
    const req = { method: 'GET', query: {}, headers: { cookie: `kieli=${value}` }, path: '/', originalUrl: '/' } as unknown as Request;
    const res = { locals: {} as Record<string, unknown> } as unknown as Response;
    let called = false;
    languageMiddleware(false)(req, res, () => {
      called = true;
    });
    assert.ok(called, value);
    assert.equal(res.locals.lang, 'fi', value);
  }
});

test("a NUL byte in the login number, the order email or the case form answers 400 in the person's language and reaches no query", async () => {
  const client = new WebClient(portal.base);
  await client.get('/?lang=sv');
  const casesBefore = await portal.db('not_found_cases').count({ n: '*' }).first();
  const posts: Array<[string, string, Record<string, string>]> = [
    ['/kirjaudu', '/kirjaudu', { memberNumber: '100\u0000001', password: 'mitä tahansa' }],
    ['/tilaa-salasana', '/tilaa-salasana', { email: 'maija\u0000@example.fi' }],
    ['/tilaa-salasana', '/tilaa-salasana/pyynto', { memberNumber: '', name: 'Nolla\u0000Tavu', emailToAdd: 'nolla@example.fi' }],
    ['/tilaa-salasana', '/tilaa-salasana/pyynto', { memberNumber: '\u0000', name: 'Nolla', emailToAdd: 'nolla\u0000@example.fi' }],
  ];
  for (const [page, action, fields] of posts) {
    await client.get(page);
    const answer = await client.post(action, fields);
    assert.equal(answer.status, 400, `${action} ${JSON.stringify(fields)}: ${answer.status}`);
    assert.match(visibleText(answer.text), SWEDISH_400, action);
    assert.match(answer.text, /<html lang="sv">/);
  }
  assert.deepEqual(await portal.db('not_found_cases').count({ n: '*' }).first(), casesBefore, 'no case was filed');
});

test('NUL, a broken %-escape, invalid UTF-8 or raw non-ASCII bytes in the path or query answer 400, never 500', async () => {
  for (const target of ['/kirjaudu%00', '/%E0%A4%A', '/palauta-salasana/%', '/palauta-salasana/abc%00def', '/kirjaudu?x=%', '/kirjaudu?x=%00', '/?lang=%C3%28', '/admin/login?next=%E0%A4%A', '/static/portal.css%00', '/kirjaudu/\u00e4']) {
    const answer = await rawRequest(portal.base, { target });
    assert.equal(answer.status, 400, `${target}: ${answer.status} ${answer.text.slice(0, 200)}`);
  }
  const english = await rawRequest(portal.base, { target: '/tilaa-salasana?email=%00', headers: { cookie: 'kieli=en' } });
  assert.equal(english.status, 400);
  assert.match(visibleText(english.text), /Your request could not be processed/);
});

test('a portal form body with raw invalid UTF-8, a raw NUL or a broken %-escape answers 400', async () => {
  const client = new WebClient(portal.base);
  await client.get('/tilaa-salasana');
  const cookie = `asiointi=${client.cookie('asiointi')}`;
  const csrf = encodeURIComponent(client.csrfToken);
  const bodies: Array<Buffer | string> = [
    Buffer.concat([Buffer.from(`_csrf=${csrf}&email=maija`), Buffer.from([0xc3, 0x28]), Buffer.from('@example.fi')]),
    Buffer.concat([Buffer.from(`_csrf=${csrf}&email=maija`), Buffer.from([0x00]), Buffer.from('@example.fi')]),
    `_csrf=${csrf}&email=maija%E0%A4%A@example.fi`,
    `_csrf=${csrf}&email=maija%@example.fi`,
    `_csrf=${csrf}&email=maija%ed%a0%80@example.fi`, // a UTF-16 surrogate written as UTF-8: not valid UTF-8
  ];
  for (const body of bodies) {
    const answer = await rawRequest(portal.base, {
      method: 'POST',
      target: '/tilaa-salasana',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    assert.equal(answer.status, 400, `${JSON.stringify(body.toString())}: ${answer.status}`);
    assert.match(visibleText(answer.text), FINNISH_400);
  }
});

test('POST /admin/login with a JSON, multipart, text or empty body gets the ordinary login answer, not a 500', async () => {
  const bodies: Array<[string | undefined, string]> = [
    ['application/json', JSON.stringify({ email: 'jasenpalvelut@liitto.example', password: 'väärä' })],
    ['multipart/form-data; boundary=b', '--b\r\nContent-Disposition: form-data; name="email"\r\n\r\nx@example.fi\r\n--b--\r\n'],
    ['text/plain', 'email=x@example.fi&password=y'],
    ['application/x-www-form-urlencoded', ''],
    [undefined, ''],
  ];
  for (const [type, body] of bodies) {
    await portal.db('rate_limits').delete(); // five failures on one address (here: none) would pause it
    const headers: Record<string, string> = { ...sameOrigin(portal.base) };
    if (type) headers['content-type'] = type;
    const answer = await rawRequest(portal.base, { method: 'POST', target: '/admin/login', headers, body });
    assert.equal(answer.status, 401, `${type}: ${answer.status} ${answer.text.slice(0, 200)}`);
    assert.match(answer.text, /REDUX_STATE/, `${type}: the login page`);
  }
});

test('a staff email of 300 characters is an ordinary failed login, and its failures are counted like any other', async () => {
  const email = `${'a'.repeat(288)}@example.fi`;
  const statuses: number[] = [];
  for (let attempt = 0; attempt < 6; attempt++) {
    const answer = await rawRequest(portal.base, {
      method: 'POST',
      target: '/admin/login',
      headers: { ...sameOrigin(portal.base), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email, password: 'väärä salasana' }).toString(),
    });
    statuses.push(answer.status);
  }
  assert.deepEqual(statuses.slice(0, 4), [401, 401, 401, 401]);
  assert.equal(statuses.at(-1), 429, `the address is paused after five failures: ${statuses}`);
  const keys = await portal.db('rate_limits').pluck('key');
  assert.ok(keys.length > 0 && keys.every((key: string) => key.length <= 255), 'every counter key fits its column');
});
