import assert from 'node:assert/strict';
import { before, beforeEach, test } from 'node:test';
import { startPortal, type Portal } from '../helpers/portal.js';
import { visibleText } from '../helpers/web-client.js';

/**
 * A form posted the moment its token arrives, before the rest of the page has: what a password
 * manager's auto-submit, a screen reader's quick submit or a fast double action does. The token
 * must already be stored when the first byte of the page leaves, or the post is refused (403).
 */
let portal: Portal;
before(async () => {
  portal = await startPortal();
});
beforeEach(async () => {
  await portal.db('rate_limits').delete();
});

const ROUNDS = 50;
const TOKEN = /name="_csrf" value="([^"]+)"/;

/** Cookies as a browser keeps them, for requests made with plain fetch. */
class CookieJar {
  private cookies = new Map<string, string>();

  header(): Record<string, string> {
    return this.cookies.size > 0 ? { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {};
  }

  keep(response: Response) {
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const [name = '', ...value] = pair.split('=');
      if (/expires=Thu, 01 Jan 1970/i.test(cookie)) this.cookies.delete(name);
      else this.cookies.set(name, value.join('='));
    }
  }
}

/**
 * GETs a page and returns its CSRF token as soon as those bytes have arrived, without waiting for
 * the page to end; the rest of the body is read on in the background (`rest`), as a browser does.
 */
async function tokenAsSoonAsItArrives(jar: CookieJar, path: string): Promise<{ token: string; rest: Promise<void> }> {
  const response = await fetch(`${portal.base}${path}`, { headers: jar.header(), redirect: 'manual' });
  assert.equal(response.status, 200, path);
  jar.keep(response);
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let seen = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`${path} ended without a CSRF token`);
    seen += decoder.decode(value, { stream: true });
    const token = TOKEN.exec(seen)?.[1];
    if (token) return { token, rest: drain(reader) };
  }
}

async function drain(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
  while (!(await reader.read()).done);
}

async function post(jar: CookieJar, path: string, fields: Record<string, string>) {
  const response = await fetch(`${portal.base}${path}`, {
    method: 'POST',
    body: new URLSearchParams(fields),
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...jar.header() },
    redirect: 'manual',
  });
  jar.keep(response);
  return { status: response.status, location: response.headers.get('location'), text: await response.text() };
}

/** A login the slow way: the whole login page is read before the form is posted. */
async function loginAtLeisure(jar: CookieJar) {
  const page = await fetch(`${portal.base}/kirjaudu`, { headers: jar.header() });
  jar.keep(page);
  const token = TOKEN.exec(await page.text())?.[1] ?? '';
  const answer = await post(jar, '/kirjaudu', { _csrf: token, memberNumber: '200001', password: 'Liisan-salasana-2026' });
  assert.equal(answer.status, 303, 'login');
}

test('logout posted the moment the token of «Omat tiedot» arrives works every time (50 rounds)', async () => {
  const refused: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const jar = new CookieJar();
    await loginAtLeisure(jar);
    const { token, rest } = await tokenAsSoonAsItArrives(jar, '/omat-tiedot');
    const answer = await post(jar, '/kirjaudu-ulos', { _csrf: token });
    await rest;
    if (answer.status !== 200 || !visibleText(answer.text).includes('Olet kirjautunut ulos')) refused.push(round);
  }
  assert.deepEqual(refused, [], `logout refused in rounds ${refused.join(', ')}`);
});

test('login posted the moment the login page\'s token arrives works every time for a fresh visitor (50 rounds)', async () => {
  const refused: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const jar = new CookieJar();
    const { token, rest } = await tokenAsSoonAsItArrives(jar, '/kirjaudu');
    const answer = await post(jar, '/kirjaudu', { _csrf: token, memberNumber: '200001', password: 'Liisan-salasana-2026' });
    await rest;
    if (answer.status !== 303 || answer.location !== '/omat-tiedot') refused.push(round);
  }
  assert.deepEqual(refused, [], `login refused in rounds ${refused.join(', ')}`);
});

test('a visitor who only reads pages without a form gets no session row', async () => {
  const before = Number((await portal.db('member_sessions').count({ n: '*' }).first())?.n);
  for (const path of ['/', '/saavutettavuusseloste']) {
    const page = await fetch(`${portal.base}${path}`);
    assert.equal(page.status, 200, path);
    assert.equal(page.headers.getSetCookie().filter((c) => c.startsWith('asiointi=')).length, 0, path);
    await page.text();
  }
  assert.equal(Number((await portal.db('member_sessions').count({ n: '*' }).first())?.n), before);
});
