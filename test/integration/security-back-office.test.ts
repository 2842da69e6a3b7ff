import assert from 'node:assert/strict';
import { before, beforeEach, mock, test } from 'node:test';
import { demoIds, StaffClient } from '../helpers/admin-api.js';
import { startApp, testConfig } from '../helpers/app.js';
import { ESIMERKKILA, FEDERATION } from '../helpers/demo-accounts.js';
import { startPortal, type Portal } from '../helpers/portal.js';
import { WebClient } from '../helpers/web-client.js';

/**
 * The back-office from a logged-in staff member's side: bad input to its API is a JSON 4xx (never
 * a 500 page), its pages carry a fresh script nonce and are never cached, and a staff session
 * ends 8 hours after login however busy, with its __Host- cookie cleared at logout.
 */
let portal: Portal;
let ids: Awaited<ReturnType<typeof demoIds>>;
let federation: StaffClient;

const members = (path = '') => `/admin/api/resources/members${path}`;

before(async () => {
  portal = await startPortal();
  ids = await demoIds(portal.db);
  federation = await StaffClient.login(portal.base, ...FEDERATION);
});
beforeEach(async () => {
  await portal.db('rate_limits').delete();
});

function assertJsonRefusal(answer: { status: number; text: string; json: unknown }, label: string) {
  assert.ok(answer.status >= 400 && answer.status < 500, `${label}: ${answer.status} ${answer.text.slice(0, 200)}`);
  assert.equal((answer.json as { notice?: { type?: string } } | undefined)?.notice?.type, 'error', `${label}: a JSON notice, not a page: ${answer.text.slice(0, 200)}`);
}

test('bad filters answer a JSON 4xx (a non-date in a date filter, a NUL, a number too big); a JSON column is compared as text', async () => {
  for (const query of [
    'filters.created_at=ei-päivämäärä',
    'filters.created_at~~from=huomenna',
    'filters.created_at~~to=2024-13-45',
    'filters.updated_at=%00',
    'filters.email=%00',
    'filters.first_name=Maija%00',
    `filters.association_id=${'9'.repeat(30)}`,
  ]) {
    assertJsonRefusal(await federation.get(members(`/actions/list?${query}`)), query);
  }
  // A JSON column is compared as text: any text is a fair question there, answered, never a database error.
  const json = await federation.get('/admin/api/resources/audit_log/actions/list?filters.details=ei-json');
  assert.equal(json.status, 200, json.text.slice(0, 200));
  assert.deepEqual(json.json.records, []);
  assertJsonRefusal(await federation.get('/admin/api/resources/mail_queue/actions/list?filters.created_at=x'), 'mail, a date');
  // A good date filter still works.
  const today = new Date().toISOString().slice(0, 10);
  const dated = await federation.get(members(`/actions/list?filters.created_at~~from=2000-01-01&filters.created_at~~to=${today}T23:59:59.999Z`));
  assert.equal(dated.status, 200, dated.text.slice(0, 200));
  assert.ok(dated.json.records.length > 0);
});

test('a NUL in a search, or a malformed % in the API path, answers a JSON 4xx', async () => {
  for (const path of [members('/search/Maija%00'), members('/search/%'), members('/search/%E0%A4%A'), '/admin/api/resources/%/actions/list', `/admin/api/resources/members/records/%ZZ/show`, members('/actions/list?page=%')]) {
    assertJsonRefusal(await federation.get(path), path);
  }
});

test('form keys that name Object.prototype members (__proto__.x, toString, constructor.x) answer a JSON 4xx and change nothing', async () => {
  const teemu = ids.member('100003');
  const before = await portal.db('members').where({ id: teemu }).first();
  for (const key of ['__proto__.x', 'toString', 'constructor.x', 'constructor.prototype.x', 'valueOf', 'hasOwnProperty', 'first_name.__proto__']) {
    assertJsonRefusal(await federation.post(members(`/records/${teemu}/edit`), { [key]: 'x', first_name: 'Muutettu' }), `edit ${key}`);
    assertJsonRefusal(await federation.post(members('/actions/new'), { [key]: 'x', member_number: '900001', first_name: 'A', last_name: 'B' }), `new ${key}`);
    assertJsonRefusal(await federation.get(members(`/actions/list?filters.${key}=1`)), `filter ${key}`);
  }
  assert.deepEqual(await portal.db('members').where({ id: teemu }).first(), before);
  assert.equal(await portal.db('members').where({ member_number: '900001' }).first(), undefined);
  assert.equal(({} as Record<string, unknown>).x, undefined, 'nothing was written into Object.prototype');
});

test('the API is the API whatever the case of its path: actions need the same-origin headers, unknown names are 404', async () => {
  const liisa = ids.member('200001');
  const mailBefore = await portal.db('mail_queue').count({ n: '*' }).first();
  for (const path of [`/admin/API/resources/members/records/${liisa}/sendLink`, `/ADMIN/api/Resources/members/records/${liisa}/sendLink`]) {
    const answer = await federation.get(path, {});
    assert.equal(answer.status, 403, `${path} without Sec-Fetch-Site or Origin: ${answer.status}`);
  }
  assert.deepEqual(await portal.db('mail_queue').count({ n: '*' }).first(), mailBefore, 'no link was sent');
  const unknown = await federation.get('/admin/API/resources/Members/actions/list');
  assert.equal(unknown.status, 404);
  assertJsonRefusal(await federation.get(members('/actions/new')), 'the new action by GET');
  assertJsonRefusal(await federation.get(members('/bulk/bulkSendLink')), 'a bulk action without recordIds');
  assertJsonRefusal(await federation.get(members(`/bulk/bulkSendLink?recordIds=${liisa}&recordIds=${liisa}`)), 'a repeated query parameter');
});

test('every back-office answer says Cache-Control: no-store, logged in or not', async () => {
  const anonymous = new WebClient(portal.base);
  for (const path of ['/admin/login', '/admin', '/admin/logout', '/admin/api/resources/members/actions/list']) {
    const page = await anonymous.get(path);
    assert.match(page.headers.get('cache-control') ?? '', /no-store/, `anonymous ${path}: ${page.status}`);
  }
  for (const path of ['/admin', '/admin/resources/members', members('/actions/list'), members(`/records/${ids.member('100001')}/show`), '/admin/api/dashboard', '/admin/no-such-page']) {
    const page = await federation.web.get(path);
    assert.match(page.headers.get('cache-control') ?? '', /no-store/, `${path}: ${page.status}`);
  }
});

test("AdminJS's own scripts are kept by the browser but asked after each time: a 304 while unchanged, not 3 MB again", async () => {
  const anonymous = new WebClient(portal.base);
  for (const path of ['/admin/frontend/assets/app.bundle.js', '/admin/frontend/assets/global.bundle.js', '/admin/frontend/assets/design-system.bundle.js']) {
    const script = await anonymous.get(path);
    assert.equal(script.status, 200, path);
    assert.equal(script.headers.get('cache-control'), 'no-cache', path);
    const etag = script.headers.get('etag');
    assert.ok(etag, `${path} has an ETag`);
    // As a browser asks after a kept copy (fetch would add «Cache-Control: no-cache» to a conditional request itself).
    assert.equal((await anonymous.get(path, { 'if-none-match': etag!, 'cache-control': 'max-age=0' })).status, 304, path);
  }
  // Only those files: a page whose path merely mentions them is still never stored.
  const page = await federation.web.get('/admin/resources/members?x=/frontend/assets/');
  assert.equal(page.headers.get('cache-control'), 'no-store');
});

test("the back-office's CSP allows scripts by a fresh nonce per request, never 'unsafe-inline', and every inline script carries it", async () => {
  const nonces = new Set<string>();
  for (const [client, path] of [
    [new WebClient(portal.base), '/admin/login'],
    [new WebClient(portal.base), '/admin/login'],
    [federation.web, '/admin'],
    [federation.web, '/admin/resources/members'],
  ] as const) {
    const page = await client.get(path);
    assert.equal(page.status, 200, path);
    const csp = page.headers.get('content-security-policy') ?? '';
    const scriptSrc = /(?:^|;)\s*script-src ([^;]*)/.exec(csp)?.[1] ?? '';
    assert.doesNotMatch(scriptSrc, /unsafe-inline/, `${path}: ${csp}`);
    const nonce = /'nonce-([A-Za-z0-9+/=_-]{16,})'/.exec(scriptSrc)?.[1];
    assert.ok(nonce, `${path}: a nonce in script-src: ${csp}`);
    assert.ok(!nonces.has(nonce), 'a fresh nonce on every request');
    nonces.add(nonce);
    const inline = [...page.text.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)];
    assert.ok(inline.length >= 1, `${path}: AdminJS's inline scripts`);
    for (const [, attributes] of inline) assert.match(attributes ?? '', new RegExp(`nonce="${nonce.replace(/[+/=]/g, '\\$&')}"`), `${path}: every inline script has the nonce`);
  }
});

test("the back-office API's JSON answers carry the pages' CSP without a nonce: no script of any kind, inline or not, from them", async () => {
  for (const path of [members('/actions/list'), '/admin/api/dashboard']) {
    const answer = await federation.web.get(path);
    assert.equal(answer.status, 200, path);
    assert.match(answer.headers.get('content-type') ?? '', /json/, path);
    const csp = answer.headers.get('content-security-policy') ?? '';
    assert.equal(/(?:^|;)\s*script-src ([^;]*)/.exec(csp)?.[1], "'self'", `${path}: ${csp}`);
    assert.match(csp, /frame-ancestors 'none'/, path);
    assert.equal(answer.headers.get('x-content-type-options'), 'nosniff', path);
    assert.equal(answer.headers.get('cache-control'), 'no-store', path);
  }
});

test('a staff session ends 8 hours after login, however active it was', async (t) => {
  const staff = await StaffClient.login(portal.base, ...ESIMERKKILA);
  t.after(() => mock.timers.reset());
  mock.timers.enable({ apis: ['Date'], now: Date.now() });
  // Busy all day: a request every 20 minutes keeps the 30-minute idle timeout from ever ending it.
  for (let minutes = 20; minutes <= 7 * 60 + 40; minutes += 20) {
    mock.timers.tick(20 * 60 * 1000);
    const list = await staff.get(members('/actions/list'));
    assert.equal(list.status, 200, `still logged in after ${minutes} minutes`);
  }
  mock.timers.tick(25 * 60 * 1000); // 8 h 5 min after login, 25 minutes after the last request
  const late = await staff.web.get('/admin/resources/members');
  assert.equal(late.status, 302, 'sent to the login page');
  assert.equal(late.location, '/admin/login');
  const api = await staff.web.get(members('/actions/list'));
  assert.notEqual(api.status, 200, 'the API no longer answers either');
});

test('logout over https clears the __Host- cookie with the attributes it was set with', async () => {
  const config = testConfig({ PUBLIC_URL: 'https://asiointi.example.fi', TRUST_PROXY: '1' });
  const { base } = await startApp(portal.db, { config });
  const browser = { origin: 'https://asiointi.example.fi', 'sec-fetch-site': 'same-origin', 'x-forwarded-proto': 'https' };
  const client = new WebClient(base, browser);
  const login = await client.post('/admin/login', { email: FEDERATION[0], password: FEDERATION[1] });
  assert.equal(login.status, 303);
  const set = login.headers.getSetCookie().find((cookie) => cookie.startsWith('__Host-asiointi-admin='));
  assert.ok(set, 'a __Host- cookie at login');
  const attributes = (cookie: string) => cookie.split(';').slice(1).map((part) => part.trim().split('=')[0]!.toLowerCase()).filter((name) => name !== 'expires' && name !== 'max-age').sort();

  const logout = await client.post('/admin/logout', {});
  assert.equal(logout.status, 303);
  const cleared = logout.headers.getSetCookie().find((cookie) => cookie.startsWith('__Host-asiointi-admin='));
  assert.ok(cleared, 'the cookie is cleared');
  assert.match(cleared, /Expires=Thu, 01 Jan 1970/);
  assert.deepEqual(attributes(cleared), attributes(set), `${cleared} vs ${set}`);
  assert.match(cleared, /; Secure/);
  assert.match(cleared, /; Path=\//);
  assert.doesNotMatch(cleared, /Domain=/i);
});

test('logout of a member over https clears the __Host- session cookie with the attributes it was set with', async () => {
  const config = testConfig({ PUBLIC_URL: 'https://asiointi.example.fi', TRUST_PROXY: '1' });
  const { base } = await startApp(portal.db, { config });
  const client = new WebClient(base, { 'x-forwarded-proto': 'https' });
  await client.get('/kirjaudu');
  const login = await client.post('/kirjaudu', { memberNumber: '200001', password: 'Liisan-salasana-2026' });
  assert.equal(login.status, 303);
  const set = login.headers.getSetCookie().find((cookie) => cookie.startsWith('__Host-asiointi='));
  assert.ok(set);
  await client.get('/omat-tiedot');
  const logout = await client.post('/kirjaudu-ulos', {});
  const cleared = logout.headers.getSetCookie().find((cookie) => cookie.startsWith('__Host-asiointi='));
  assert.ok(cleared);
  assert.match(cleared, /; Secure/);
  assert.match(cleared, /; HttpOnly/);
});
