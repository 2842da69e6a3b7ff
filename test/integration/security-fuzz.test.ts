import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import { LETTERS_PATH } from '../../admin/letter-routes.js';
import { SECOND_FACTOR_PATHS } from '../../admin/second-factor-routes.js';
import { fileNotFoundCase } from '../../src/cases/file-case.js';
import { projectRoot } from '../../src/project-root.js';
import { demoIds, StaffClient } from '../helpers/admin-api.js';
import { ESIMERKKILA, FEDERATION, LIISA, MALLILA } from '../helpers/demo-accounts.js';
import { orderLinkPaths, startPortal, type Portal } from '../helpers/portal.js';
import { rawRequest, type RawRequest } from '../helpers/raw-http.js';
import { addStaff, enrolThroughPages, passwordStep, postForm } from '../helpers/second-factor.js';
import { WebClient } from '../helpers/web-client.js';

/**
 * At least 2,000 malformed requests over every portal form and page and every back-office
 * endpoint, anonymous and logged in as both kinds of staff: broken %-escapes, NUL and invalid
 * UTF-8 in path, query, cookies and bodies, keys naming Object.prototype members, wrong and
 * missing content types, oversized fields and bodies, bad dates and numbers in filters. Not one
 * answer may be a 5xx, and the app must work normally afterwards. Seeded, so a failure repeats.
 *
 * Every endpoint is in endpoints() (the portal's routes in src/portal/, the back-office's in admin/*.ts,
 * and AdminJS's API for every action of every resource in admin/actions/ and admin/index.ts; the first
 * test fails when a route or action is added there and not here), and they are dealt like cards: each
 * round every endpoint once, in a seeded random order. So each one gets its share (checked after the
 * run, MIN_HITS), with its own method and, behind a login, with a session that is still logged in when
 * the run ends (checked too).
 */
const REQUESTS = 3000;
const CONCURRENCY = 6;
/** Requests each endpoint must have had with its own method, and, behind a login, with a live session. */
const MIN_HITS = 10;

/**
 * Whose cookies a request carries. `visitor`: an anonymous portal visitor with a CSRF cookie and its
 * token; `waiting`: a staff member past the password whose session waits for the code (second
 * factor); `spareMember` and `spareStaff`: sessions of their own for the logout routes, which end them.
 */
type Who = 'none' | 'visitor' | 'member' | 'spareMember' | 'federation' | 'association' | 'waiting' | 'spareStaff';
/** The sessions that must stay logged in (or, `waiting`, waiting for the code) for the whole run. */
const LIVE: readonly Who[] = ['member', 'federation', 'association', 'waiting'];
const sessions = Object.fromEntries((['none', 'visitor', 'member', 'spareMember', 'federation', 'association', 'waiting', 'spareStaff'] as const).map((who) => [who, { cookie: '', csrf: '' }])) as Record<Who, { cookie: string; csrf: string }>;

let portal: Portal;
let ids: Awaited<ReturnType<typeof demoIds>>;
let linkToken: string;
/** Records the requests name: real ones of each resource, and some that are not. */
let records: Record<'member' | 'association' | 'staff' | 'case', string[]>;

/** A logged-in portal browser's cookies and the token its forms carry. */
async function portalSession(login: boolean): Promise<{ cookie: string; csrf: string }> {
  const client = new WebClient(portal.base);
  await client.get('/kirjaudu');
  if (login) {
    assert.equal((await client.post('/kirjaudu', { memberNumber: LIISA[0], password: LIISA[1] })).status, 303);
    assert.equal((await client.get('/omat-tiedot')).status, 200);
  }
  const cookie = ['asiointi', 'asiointi-laite', 'asiointi-csrf'].flatMap((name) => (client.cookie(name) ? [`${name}=${client.cookie(name)}`] : [])).join('; ');
  assert.match(cookie, /asiointi-csrf=/);
  return { cookie, csrf: client.csrfToken };
}

const staffSession = async (email: string, password: string) => ({ cookie: `asiointi-admin=${(await StaffClient.login(portal.base, email, password)).cookie()}`, csrf: '' });

before(async () => {
  portal = await startPortal();
  ids = await demoIds(portal.db);
  const [link] = await orderLinkPaths(portal, 'maija.meikalainen@example.fi');
  linkToken = link!.split('/').at(-1)!;
  sessions.visitor = await portalSession(false);
  sessions.member = await portalSession(true);
  sessions.spareMember = await portalSession(true);
  sessions.federation = await staffSession(...FEDERATION);
  sessions.association = await staffSession(...ESIMERKKILA);
  sessions.spareStaff = await staffSession(...FEDERATION);
  // Two staff members with a second factor: one whose session waits for its code, one for the reset to reset.
  const password = 'Fuzz-kaksivaihe-salasana-1';
  const waitingId = await addStaff(portal.db, 'fuzz-odottaa@yhdistys.example', password);
  const targetId = await addStaff(portal.db, 'fuzz-nollattava@yhdistys.example', password);
  for (const email of ['fuzz-odottaa@yhdistys.example', 'fuzz-nollattava@yhdistys.example']) {
    const client = await StaffClient.login(portal.base, email, password);
    await enrolThroughPages(client);
    await postForm(client, '/admin/logout', {});
  }
  const waiting = await passwordStep(portal.base, 'fuzz-odottaa@yhdistys.example', password);
  assert.equal(waiting.location, '/admin/kaksivaiheinen');
  sessions.waiting = { cookie: `asiointi-admin=${waiting.client.cookie()}`, csrf: '' };
  // "User not found" cases to resolve, close and search members for.
  for (const [index, memberNumber] of ['', '100003', '200002'].entries()) {
    await fileNotFoundCase(portal.db, { memberNumber, name: `Fuzz ${index}`, emailToAdd: `fuzz-tapaus-${index}@example.fi` });
  }
  const cases: number[] = await portal.db('not_found_cases').orderBy('id').pluck('id');
  const odd = ['0', '-1', '1e3', '99999999999999999999'];
  // Never the records of the sessions in use: editing them (role, association, status) would end those sessions.
  records = {
    member: [ids.member('100001'), ids.member('100003'), ids.member('200002')].map(String).concat(odd),
    association: [ids.esimerkkila, ids.mallila].map(String).concat(odd),
    staff: [ids.staff(MALLILA[0]), targetId, ids.staff(FEDERATION[0]) + 1000].map(String).concat(odd),
    case: cases.map(String).concat(odd),
  };
  assert.ok(!records.staff.includes(String(waitingId)) && !records.member.includes(String(ids.member(LIISA[0]))));
});

/** mulberry32: a small seeded generator, so that a failing run can be repeated exactly. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  return { next, pick };
}

const BAD_TEXT = ['%', '%E0%A4%A', '%00', 'a%00b', '%C3%28', '%ED%A0%80', '%C0%AF', '%FF%FE', '%2', '%%', '%u0041', '%0A%0D', '..%2F..%2F', '%252e', '\u00e4', '€'];
const ODD_VALUES = ['', ' ', '-1', '1e309', '9'.repeat(40), 'null', 'undefined', 'true', '[]', '{}', '<script>alert(1)</script>', "' OR 1=1 --", 'x'.repeat(5000), '2024-13-45', 'ei-päivämäärä'];
const ODD_KEYS = ['__proto__', '__proto__.x', 'constructor', 'constructor.prototype.x', 'toString', 'valueOf', 'hasOwnProperty', 'prototype', 'a[]', 'a[b]', 'filters.__proto__', 'filters.toString', 'filters.created_at', 'filters.created_at~~from', 'filters.details', 'filters.association_id', 'sortBy', 'direction', 'perPage', 'page', 'recordIds', '_csrf', 'email', 'password', 'memberNumber', 'lang', 'code', 'recoveryCode'];

/** Well-formed names and odd values: these pass the input boundary and reach AdminJS, the data layer and the services. */
const REAL_PARAMS = ['filters.created_at', 'filters.created_at~~from', 'filters.created_at~~to', 'filters.updated_at', 'filters.at', 'filters.association_id', 'filters.member_number', 'filters.email', 'filters.membership_status', 'filters.active', 'filters.id', 'filters.details', 'filters.status', 'filters.attempts', 'filters.role', 'sortBy', 'direction', 'page', 'perPage', 'recordIds', 'searchProperty', 'batchId', 'confirmed', 'query', 'q'];
const REAL_FIELDS = ['first_name', 'last_name', 'email', 'member_number', 'association_id', 'membership_status', 'preferred_language', 'name', 'contact_email', 'contact_phone', 'memberNumber', 'emailToAdd', 'password', 'confirmed', 'batchId', 'recordIds', '_csrf', 'code', 'memberId', 'memberIds', 'selection', 'recoveryCode', 'street_address', 'postal_code', 'reason', 'role', 'active'];
const ODD_BUT_WELL_FORMED = [...ODD_VALUES, '0', '1', '2', '-2', '1.5', 'NaN', 'Infinity', 'asc', 'desc', '2024-02-30', '2024-01-01', '9999-12-31T23:59:59Z', '0000-00-00', '1,2,3', ',,,', 'a'.repeat(300), '100001', 'fi', 'xx', 'ended', '%', '\\', '\'', '"', 'Ⅻ', '😀', '\u202e', '\ufeff', '000000', '123456', '12 34 56', 'abcde-23456', 'ABCDE23456', 'selected', 'without-email-or-password'];

interface Endpoint {
  method: 'GET' | 'POST';
  /** With placeholders: {token}, {member}, {association}, {staff}, {case}, {any}, {query}, {batch}. */
  path: string;
  /** Whose cookies the request carries, in turn, round after round. */
  who: readonly Who[];
  /** Only a logged-in (or, for the second factor, a waiting) session reaches its handler. */
  behindLogin: boolean;
}

const PORTAL_WHO: readonly Who[] = ['visitor', 'member', 'none'];
const STAFF_WHO: readonly Who[] = ['federation', 'association', 'federation', 'none'];

/** Every route of the portal (src/portal/*.ts, src/health) and of the back-office (admin/*.ts, admin/actions/*.ts, AdminJS's router). */
function endpoints(): Endpoint[] {
  const portalRoute = (method: Endpoint['method'], path: string, who = PORTAL_WHO): Endpoint => ({ method, path, who, behindLogin: who !== PORTAL_WHO });
  const staffRoute = (method: Endpoint['method'], path: string, who = STAFF_WHO, behindLogin = true): Endpoint => ({ method, path, who, behindLogin });
  const both = (path: string, who = STAFF_WHO, behindLogin = true) => [staffRoute('GET', path, who, behindLogin), staffRoute('POST', path, who, behindLogin)];
  const api = '/admin/api/resources';
  const resources = { members: '{member}', associations: '{association}', not_found_cases: '{case}', mail_queue: '{any}', audit_log: '{any}', staff_users: '{staff}' };
  const secondFactorWho: readonly Who[] = ['waiting', 'federation', 'waiting', 'none'];
  return [
    // The portal.
    portalRoute('GET', '/'),
    portalRoute('GET', '/saavutettavuusseloste'),
    portalRoute('GET', '/kirjaudu'),
    portalRoute('POST', '/kirjaudu'),
    portalRoute('GET', '/omat-tiedot', ['member', 'member', 'none']),
    { method: 'POST', path: '/kirjaudu-ulos', who: ['spareMember', 'visitor', 'none'], behindLogin: false },
    portalRoute('GET', '/tilaa-salasana'),
    portalRoute('POST', '/tilaa-salasana'),
    portalRoute('POST', '/tilaa-salasana/pyynto'),
    portalRoute('GET', '/aktivoi'),
    portalRoute('GET', '/aktivoi?jasennumero=100003'),
    portalRoute('POST', '/aktivoi'),
    portalRoute('GET', '/palauta-salasana/{token}'),
    portalRoute('POST', '/palauta-salasana/{token}'),
    portalRoute('GET', '/palauta-salasana/'),
    portalRoute('GET', '/kehitys/postilaatikko'),
    portalRoute('GET', '/static/portal.css'),
    portalRoute('GET', '/healthz'),
    portalRoute('GET', '/readyz'),
    portalRoute('GET', '/ei-ole'),
    // The back-office's own routes: login and logout (auth.ts), «Unohditko salasanan?» (staff-recovery.ts),
    // the second factor (second-factor-routes.ts), activation letters (letter-routes.ts), static files.
    ...both('/admin/login', ['none', 'waiting', 'federation'], false),
    staffRoute('GET', '/admin/logout', STAFF_WHO, false),
    staffRoute('POST', '/admin/logout', ['spareStaff', 'none'], false),
    ...both('/admin/unohtunut-salasana', ['none', 'federation', 'waiting'], false),
    ...both('/admin/kaksivaiheinen', secondFactorWho),
    ...both('/admin/kaksivaiheinen/varakoodi', secondFactorWho),
    ...both('/admin/kaksivaiheinen/kayttoonotto', ['federation', 'association', 'waiting', 'none']),
    staffRoute('POST', '/admin/aktivointikirjeet'),
    staffRoute('GET', '/admin-assets/roboto/400.css', STAFF_WHO, false),
    // AdminJS's pages and API (node_modules/adminjs/lib/backend/utils/router/router.js).
    staffRoute('GET', '/admin'),
    staffRoute('GET', '/admin/api/dashboard'),
    staffRoute('GET', '/admin/pages/x'),
    ...both('/admin/api/pages/x'),
    staffRoute('GET', '/admin/resources/members/records/{member}/show'),
    staffRoute('GET', '/admin/resources/members/actions/sendToAllWaiting'),
    staffRoute('GET', '/admin/resources/members/bulk/bulkPrintLetters?recordIds={member},{member}'),
    staffRoute('GET', '/admin/resources/staff_users/records/{staff}/resetSecondFactor'),
    // Every resource's own actions.
    ...Object.entries(resources).flatMap(([resource, record]) => [
      staffRoute('GET', `/admin/resources/${resource}`),
      staffRoute('GET', `${api}/${resource}/actions/list`),
      ...both(`${api}/${resource}/actions/new`),
      staffRoute('GET', `${api}/${resource}/search/{query}`),
      staffRoute('GET', `${api}/${resource}/records/${record}/show`),
      ...both(`${api}/${resource}/records/${record}/edit`),
      ...both(`${api}/${resource}/records/${record}/delete`),
      ...both(`${api}/${resource}/bulk/bulkDelete?recordIds=${record},${record}`),
    ]),
    // Members: links (actions/member-actions.ts) and letters (actions/letter-actions.ts).
    ...both(`${api}/members/records/{member}/sendLink`),
    ...both(`${api}/members/bulk/bulkSendLink?recordIds={member},{member}`),
    staffRoute('GET', `${api}/members/records/{member}/mailStatus`),
    ...both(`${api}/members/actions/sendToAllWaiting`),
    staffRoute('GET', `${api}/members/actions/linkSendProgress?batchId={batch}`),
    ...both(`${api}/members/records/{member}/printLetter`),
    ...both(`${api}/members/bulk/bulkPrintLetters?recordIds={member},{member}`),
    ...both(`${api}/members/actions/printLettersWithoutEmail`),
    staffRoute('GET', `${api}/members/records/{member}/letterStatus`),
    // "User not found" cases (actions/case-actions.ts).
    ...both(`${api}/not_found_cases/records/{case}/resolve`),
    ...both(`${api}/not_found_cases/records/{case}/closeCase`),
    staffRoute('GET', `${api}/not_found_cases/records/{case}/findMembers?q={query}`),
    // Staff accounts (actions/staff-invitation-action.ts, actions/staff-actions.ts).
    ...both(`${api}/staff_users/records/{staff}/resendInvitation`),
    ...both(`${api}/staff_users/records/{staff}/resetSecondFactor`),
    // Names that do not exist (api-answers.ts).
    staffRoute('GET', `${api}/no_such/actions/list`),
    staffRoute('GET', `${api}/members/actions/no_such`),
    staffRoute('POST', `${api}/members/records/{member}/no_such`),
  ];
}

const endpointName = (endpoint: Endpoint) => `${endpoint.method} ${endpoint.path}`;

/** The endpoints dealt `total` times: every round each endpoint once, in a seeded random order (Fisher–Yates). */
function deal(random: ReturnType<typeof generator>, all: Endpoint[], total: number): Array<{ endpoint: Endpoint; round: number }> {
  const dealt: Array<{ endpoint: Endpoint; round: number }> = [];
  for (let round = 0; dealt.length < total; round += 1) {
    const deck = [...all];
    for (let i = deck.length - 1; i > 0; i -= 1) {
      const j = Math.floor(random.next() * (i + 1));
      [deck[i], deck[j]] = [deck[j]!, deck[i]!];
    }
    dealt.push(...deck.slice(0, total - dealt.length).map((endpoint) => ({ endpoint, round })));
  }
  return dealt;
}

/** Odd methods: every seventh round an endpoint gets one of these instead of its own. */
const ODD_METHODS = ['HEAD', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'];

/** One malformed request to an endpoint: its path filled in, then one or more of path, query, cookie and body made bad. */
function malformedRequest(random: ReturnType<typeof generator>, index: number, endpoint: Endpoint, round: number): { request: RawRequest; label: string; who: Who; ownMethod: boolean } {
  const { next, pick } = random;
  const who = endpoint.who[round % endpoint.who.length]!;
  const ownMethod = round % 7 !== 6;
  const method = ownMethod ? endpoint.method : pick([...ODD_METHODS, endpoint.method === 'GET' ? 'POST' : 'GET']);
  const { csrf } = sessions[who];
  const fill: Record<string, () => string> = {
    token: () => (next() < 0.6 ? linkToken : pick(BAD_TEXT)),
    member: () => (next() < 0.85 ? pick(records.member) : pick(BAD_TEXT)),
    association: () => (next() < 0.85 ? pick(records.association) : pick(BAD_TEXT)),
    staff: () => (next() < 0.85 ? pick(records.staff) : pick(BAD_TEXT)),
    case: () => (next() < 0.85 ? pick(records.case) : pick(BAD_TEXT)),
    any: () => pick(['1', '2', '3', '0', '-1', '1e3', '99999999999999999999', ...BAD_TEXT]),
    query: () => pick(['Maija', 'esimerkki', '100001', ...BAD_TEXT]),
    batch: () => pick(['1', '0', '-1', 'x', '1e3', ...BAD_TEXT]),
  };
  let path = endpoint.path.replace(/\{(\w+)\}/g, (_, name: string) => fill[name]!());
  const faults = new Set<string>();
  while (faults.size === 0 || next() < 0.35) faults.add(pick(['path', 'query', 'cookie', 'body', 'body', 'keys', 'type', 'odd-query', 'odd-query', 'odd-body', 'odd-body', 'odd-body', 'case']));
  // A form route mostly gets a form to read, with the session's CSRF token more often than not.
  if (endpoint.method === 'POST' && !faults.has('body') && !faults.has('type') && next() < 0.6) faults.add('odd-body');

  if (faults.has('path')) {
    const segments = path.split('/');
    const at = 1 + Math.floor(next() * Math.max(1, segments.length - 1));
    segments[at] = `${segments[at] ?? ''}${pick(BAD_TEXT)}`;
    path = segments.join('/');
  }
  if (faults.has('case')) path = next() < 0.5 ? path.replace('/api/', '/API/').replace('/admin/', '/Admin/') : path.toUpperCase(); // routing ignores case
  if (faults.has('query') || faults.has('keys')) {
    const pairs = Array.from({ length: 1 + Math.floor(next() * 3) }, () => `${faults.has('keys') ? pick(ODD_KEYS) : pick(['q', 'lang', 'page', 'filters.email', 'sortBy'])}=${pick([...BAD_TEXT, ...ODD_VALUES.map(encodeURIComponent)])}`);
    path += (path.includes('?') ? '&' : '?') + pairs.join('&');
  }
  if (faults.has('odd-query')) {
    const pairs = Array.from({ length: 1 + Math.floor(next() * 4) }, () => `${pick(REAL_PARAMS)}=${encodeURIComponent(pick(ODD_BUT_WELL_FORMED))}`);
    path += (path.includes('?') ? '&' : '?') + pairs.join('&');
  }
  const headers: Record<string, string> = { 'sec-fetch-site': 'same-origin', origin: portal.base };
  const cookies = [sessions[who].cookie].filter(Boolean);
  if (faults.has('cookie')) cookies.push(pick(['kieli=%', 'kieli=%E0%A4%A', 'kieli=%00', `asiointi-admin=s%3A${pick(BAD_TEXT)}`, `asiointi=${pick(BAD_TEXT)}`, 'asiointi-laite=%ZZ', `asiointi-csrf=${pick(BAD_TEXT)}`, `kieli=${'x'.repeat(3000)}`, 'kieli=sv; kieli=%']));
  if (cookies.length > 0) headers.cookie = cookies.join('; ');

  let body: Buffer | undefined;
  if (faults.has('odd-body') && !faults.has('body') && !faults.has('type')) {
    const fields = Object.fromEntries(Array.from({ length: 1 + Math.floor(next() * 4) }, () => [pick(REAL_FIELDS), pick(ODD_BUT_WELL_FORMED)]));
    if (csrf && next() < 0.7) fields._csrf = csrf;
    const kind = pick(['form', 'form', 'json', 'multipart']);
    if (kind === 'form') {
      body = Buffer.from(new URLSearchParams(fields).toString());
      headers['content-type'] = 'application/x-www-form-urlencoded';
    } else if (kind === 'json') {
      body = Buffer.from(JSON.stringify(fields));
      headers['content-type'] = 'application/json';
    } else {
      body = Buffer.concat([...Object.entries(fields).map(([name, value]) => Buffer.from(`--fz\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`)), Buffer.from('--fz--\r\n')]);
      headers['content-type'] = 'multipart/form-data; boundary=fz';
    }
  }
  if (faults.has('body') || faults.has('type') || (faults.has('keys') && next() < 0.5)) {
    const key = faults.has('keys') ? pick(ODD_KEYS) : pick(['email', 'password', 'memberNumber', 'name', 'emailToAdd', 'first_name', 'association_id', 'role', 'active', 'code', 'recoveryCode', 'memberId']);
    const value = pick([...BAD_TEXT, ...ODD_VALUES]);
    const kind = faults.has('type') ? pick(['none', 'text', 'octet', 'json-broken', 'xml', 'multipart-broken', 'charset']) : pick(['form', 'form', 'raw-utf8', 'multipart', 'json', 'big', 'file']);
    const made = bodyOf(kind, key, value, csrf, random);
    body = made.body;
    if (made.type) headers['content-type'] = made.type;
    else delete headers['content-type'];
  }
  const label = `#${index} ${who} ${method} ${path.slice(0, 160)} cookie: ${(headers.cookie ?? '').slice(0, 80)} type: ${headers['content-type'] ?? ''} body: ${body ? JSON.stringify(body.subarray(0, 80).toString('latin1')) : ''}`;
  return { request: { method, target: path, headers, body }, label, who, ownMethod };
}

function bodyOf(kind: string, key: string, value: string, csrf: string, { pick }: ReturnType<typeof generator>): { body: Buffer; type?: string } {
  const form = (text: string) => Buffer.from(`_csrf=${encodeURIComponent(csrf)}&${text}`, 'latin1');
  const part = (name: string, content: Buffer, filename?: string) =>
    Buffer.concat([Buffer.from(`--fz\r\nContent-Disposition: form-data; name="${name}"${filename ? `; filename="${filename}"` : ''}\r\n\r\n`), content, Buffer.from('\r\n')]);
  switch (kind) {
    case 'form':
      return { body: form(`${key}=${value}`), type: 'application/x-www-form-urlencoded' };
    case 'raw-utf8':
      return { body: Buffer.concat([form(`${key}=a`), Buffer.from(pick([[0xc3, 0x28], [0x00], [0xff, 0xfe], [0xed, 0xa0, 0x80], [0xe2, 0x82]]))]), type: 'application/x-www-form-urlencoded' };
    case 'multipart':
      return { body: Buffer.concat([part(key, Buffer.from(decodeSafely(value))), part('email', Buffer.from([0x61, 0x00, 0x62])), Buffer.from('--fz--\r\n')]), type: 'multipart/form-data; boundary=fz' };
    case 'file':
      return { body: Buffer.concat([part('file', Buffer.alloc(200 * 1024, 0x41), 'x.bin'), Buffer.from('--fz--\r\n')]), type: 'multipart/form-data; boundary=fz' };
    case 'json':
      return { body: Buffer.from(pick([`{"${key}":"${value.replace(/["\\]/g, '')}\\u0000"}`, `{"${key}":{"__proto__":{"x":1}}}`, '[1,2,3]', '"text"', `{"a":${'['.repeat(5000)}}`, `{"a":${'['.repeat(3000)}${']'.repeat(3000)}}`, `{"constructor":{"prototype":{"x":1}}}`])), type: 'application/json' };
    case 'big':
      return { body: form(`${key}=${'y'.repeat(300 * 1024)}`), type: 'application/x-www-form-urlencoded' };
    case 'none':
      return { body: Buffer.from(`${key}=${value}`) };
    case 'text':
      return { body: Buffer.from(`${key}=${value}`), type: 'text/plain' };
    case 'octet':
      return { body: Buffer.alloc(64 * 1024, 0x42), type: 'application/octet-stream' };
    case 'json-broken':
      return { body: Buffer.from(`{"${key}": ${value}`), type: 'application/json' };
    case 'xml':
      return { body: Buffer.from(`<?xml version="1.0"?><a>${value}</a>`), type: 'application/xml' };
    case 'multipart-broken':
      return { body: Buffer.from(`--fz\r\nContent-Disposition: form-data; name="${key}"\r\n${value}`), type: pick(['multipart/form-data; boundary=fz', 'multipart/form-data', 'multipart/form-data; boundary=']) };
    default:
      return { body: form(`${key}=${value}`), type: 'application/x-www-form-urlencoded; charset=iso-8859-1' };
  }
}

function decodeSafely(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

test('the list has every route of the portal and of the back-office, and every action of admin/actions', () => {
  const listed = new Set(endpoints().map(endpointName));
  const sources = (dir: string) => readdirSync(path.join(projectRoot, dir)).filter((file) => file.endsWith('.ts')).map((file) => ({ dir, file, text: readFileSync(path.join(projectRoot, dir, file), 'utf8') }));
  const constants: Record<string, string> = { LETTERS_PATH, ...Object.fromEntries(Object.entries(SECOND_FACTOR_PATHS).map(([key, value]) => [`SECOND_FACTOR_PATHS.${key}`, value])) };
  const missing: string[] = [];
  const routes: string[] = [];
  for (const { dir, file, text } of [...sources('src/portal'), ...sources('src/health'), ...sources('admin')]) {
    for (const [, method, quoted, constant] of text.matchAll(/router\.(get|post)\((?:'([^']+)'|([A-Z_][\w.]*))/g)) {
      const route = quoted ?? constants[constant!];
      assert.ok(route, `${dir}/${file}: the path ${constant} is known here`);
      const name = `${method!.toUpperCase()} ${dir === 'admin' ? '/admin' : ''}${route.replace(/:(\w+)/g, '{$1}')}`;
      routes.push(name);
      if (!listed.has(name)) missing.push(`${name} (${dir}/${file})`);
    }
  }
  assert.ok(['POST /palauta-salasana/{token}', 'POST /admin/kaksivaiheinen/kayttoonotto', 'POST /admin/unohtunut-salasana'].every((name) => routes.includes(name)), `routes read from the sources: ${routes.join(', ')}`);
  const actions = sources('admin/actions').flatMap(({ text }) => [...text.matchAll(/^\s+(\w+): \{\s*\n\s*actionType:/gm)].map((match) => match[1]!));
  assert.ok(actions.includes('resetSecondFactor') && actions.includes('resendInvitation'), `actions read from admin/actions: ${actions.join(', ')}`);
  for (const action of actions) if (![...listed].some((name) => new RegExp(`/${action}(?:[/?]|$)`).test(name))) missing.push(`the action ${action}`);
  assert.deepEqual(missing, [], 'routes and actions the fuzz test does not send to: add them to endpoints()');
});

test(`${REQUESTS} malformed requests over every portal form and back-office endpoint: no 5xx, each endpoint hit, and the app works afterwards`, async () => {
  const started = Date.now();
  const random = generator(Number(process.env.FUZZ_SEED ?? 20260613));
  const all = endpoints();
  assert.equal(new Set(all.map(endpointName)).size, all.length, 'each endpoint is listed once');
  const requests = deal(random, all, REQUESTS).map(({ endpoint, round }, index) => ({ endpoint, ...malformedRequest(random, index, endpoint, round) }));
  const failures: string[] = [];
  const statuses = new Map<number, number>();
  /** Answers per endpoint to requests with its own method; and of those, the ones that carried a live session. */
  const hits = new Map<string, number>();
  const liveHits = new Map<string, number>();
  let nextIndex = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (nextIndex < requests.length) {
        const { endpoint, request, label, who, ownMethod } = requests[nextIndex++]!;
        const answer = await rawRequest(portal.base, request).catch((error: Error) => ({ status: -1, text: error.message }));
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        if (answer.status >= 500 || answer.status < 0) failures.push(`${answer.status} ← ${label} → ${answer.text.slice(0, 120)}`);
        else if (ownMethod) {
          const name = endpointName(endpoint);
          hits.set(name, (hits.get(name) ?? 0) + 1);
          if (LIVE.includes(who)) liveHits.set(name, (liveHits.get(name) ?? 0) + 1);
        }
      }
    }),
  );
  const seconds = (Date.now() - started) / 1000;
  console.log(`fuzz: ${REQUESTS} requests to ${all.length} endpoints in ${seconds.toFixed(1)} s; answers by status: ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
  assert.deepEqual(failures.slice(0, 15), [], `${failures.length} answers of 5xx or no answer`);

  // Every endpoint had its share, with its own method, and behind a login with a session that was logged in.
  const fewHits = all.map(endpointName).filter((name) => (hits.get(name) ?? 0) < MIN_HITS);
  assert.deepEqual(fewHits, [], `endpoints hit fewer than ${MIN_HITS} times with their own method`);
  const fewLive = all.filter((endpoint) => endpoint.behindLogin).map(endpointName).filter((name) => (liveHits.get(name) ?? 0) < MIN_HITS);
  assert.deepEqual(fewLive, [], `endpoints behind a login hit fewer than ${MIN_HITS} times with a live session`);
  const counts = [...hits.values()];
  console.log(`fuzz: hits per endpoint ${Math.min(...counts)}–${Math.max(...counts)}, with a live session at least ${Math.min(...all.filter((e) => e.behindLogin).map((e) => liveHits.get(endpointName(e)) ?? 0))}`);
  // … and those sessions were still live at the end, so they were all along: none was logged out, signed out or reset by the fuzz.
  const stillIn = async (who: Who, path: string) => (await rawRequest(portal.base, { target: path, headers: { cookie: sessions[who].cookie, 'sec-fetch-site': 'same-origin', origin: portal.base } })).status;
  assert.equal(await stillIn('member', '/omat-tiedot'), 200, 'the member is still logged in');
  assert.equal(await stillIn('federation', '/admin/api/resources/staff_users/actions/list'), 200, 'federation member services are still logged in, as federation');
  assert.equal(await stillIn('association', '/admin/api/resources/members/actions/list'), 200, 'the association staff member is still logged in');
  assert.equal(await stillIn('waiting', '/admin/kaksivaiheinen'), 200, 'the waiting session still waits for its code');

  // Healthy afterwards: ready, a member and a staff member log in and work as before.
  await portal.db('rate_limits').delete();
  const ready = await new WebClient(portal.base).get('/readyz');
  assert.equal(ready.status, 200);
  const member = new WebClient(portal.base);
  await member.get('/kirjaudu');
  assert.equal((await member.post('/kirjaudu', { memberNumber: LIISA[0], password: LIISA[1] })).status, 303);
  assert.equal((await member.get('/omat-tiedot')).status, 200);
  const staff = await StaffClient.login(portal.base, ...ESIMERKKILA);
  const list = await staff.get('/admin/api/resources/members/actions/list');
  assert.equal(list.status, 200);
  assert.ok(list.json.records.length > 0);
});
