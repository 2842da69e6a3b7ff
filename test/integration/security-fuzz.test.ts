import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { demoIds, StaffClient } from '../helpers/admin-api.js';
import { ESIMERKKILA, FEDERATION, LIISA } from '../helpers/demo-accounts.js';
import { orderLinkPaths, startPortal, type Portal } from '../helpers/portal.js';
import { rawRequest, type RawRequest } from '../helpers/raw-http.js';
import { WebClient } from '../helpers/web-client.js';

/**
 * At least 2,000 malformed requests over every portal form and page and every back-office
 * endpoint, anonymous and logged in as both kinds of staff: broken %-escapes, NUL and invalid
 * UTF-8 in path, query, cookies and bodies, keys naming Object.prototype members, wrong and
 * missing content types, oversized fields and bodies, bad dates and numbers in filters. Not one
 * answer may be a 5xx, and the app must work normally afterwards. Seeded, so a failure repeats.
 */
const REQUESTS = 3000;
const CONCURRENCY = 6;

let portal: Portal;
let ids: Awaited<ReturnType<typeof demoIds>>;
let linkToken: string;
const sessions: Record<'none' | 'federation' | 'association' | 'member', string> = { none: '', federation: '', association: '', member: '' };
let csrf = '';

before(async () => {
  portal = await startPortal();
  ids = await demoIds(portal.db);
  const [link] = await orderLinkPaths(portal, 'maija.meikalainen@example.fi');
  linkToken = link!.split('/').at(-1)!;
  sessions.federation = `asiointi-admin=${(await StaffClient.login(portal.base, ...FEDERATION)).cookie()}`;
  sessions.association = `asiointi-admin=${(await StaffClient.login(portal.base, ...ESIMERKKILA)).cookie()}`;
  const member = new WebClient(portal.base);
  await member.get('/kirjaudu');
  await member.post('/kirjaudu', { memberNumber: LIISA[0], password: LIISA[1] });
  await member.get('/omat-tiedot');
  sessions.member = `asiointi=${member.cookie('asiointi')}; asiointi-laite=${member.cookie('asiointi-laite')}`;
  csrf = member.csrfToken;
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
const ODD_KEYS = ['__proto__', '__proto__.x', 'constructor', 'constructor.prototype.x', 'toString', 'valueOf', 'hasOwnProperty', 'prototype', 'a[]', 'a[b]', 'filters.__proto__', 'filters.toString', 'filters.created_at', 'filters.created_at~~from', 'filters.details', 'filters.association_id', 'sortBy', 'direction', 'perPage', 'page', 'recordIds', '_csrf', 'email', 'password', 'memberNumber', 'lang'];

/** Well-formed names and odd values: these pass the input boundary and reach AdminJS, the data layer and the services. */
const REAL_PARAMS = ['filters.created_at', 'filters.created_at~~from', 'filters.created_at~~to', 'filters.updated_at', 'filters.at', 'filters.association_id', 'filters.member_number', 'filters.email', 'filters.membership_status', 'filters.active', 'filters.id', 'filters.details', 'filters.status', 'filters.attempts', 'filters.role', 'sortBy', 'direction', 'page', 'perPage', 'recordIds', 'searchProperty', 'batchId', 'confirmed', 'query'];
const REAL_FIELDS = ['first_name', 'last_name', 'email', 'member_number', 'association_id', 'membership_status', 'preferred_language', 'name', 'contact_email', 'contact_phone', 'memberNumber', 'emailToAdd', 'password', 'confirmed', 'batchId', 'recordIds', '_csrf', 'code', 'memberId', 'memberIds', 'selection', 'recoveryCode', 'street_address', 'postal_code'];
const ODD_BUT_WELL_FORMED = [...ODD_VALUES, '0', '1', '2', '-2', '1.5', 'NaN', 'Infinity', 'asc', 'desc', '2024-02-30', '2024-01-01', '9999-12-31T23:59:59Z', '0000-00-00', '1,2,3', ',,,', 'a'.repeat(300), '100001', 'fi', 'xx', 'ended', '%', '\\', '\'', '"', 'Ⅻ', '😀', '\u202e', '\ufeff'];

const PORTAL_PATHS = ['/', '/kirjaudu', '/tilaa-salasana', '/tilaa-salasana/pyynto', '/omat-tiedot', '/kirjaudu-ulos', '/saavutettavuusseloste', '/kehitys/postilaatikko', '/palauta-salasana/TOKEN', '/PALAUTA-SALASANA/TOKEN', '/palauta-salasana/', '/static/portal.css', '/healthz', '/readyz', '/ei-ole', '/aktivoi', '/aktivoi?jasennumero=100003'];
const PORTAL_FORMS = ['/kirjaudu', '/tilaa-salasana', '/tilaa-salasana/pyynto', '/kirjaudu-ulos', '/palauta-salasana/TOKEN', '/aktivoi'];

function adminPaths(): string[] {
  const member = ids.member('100001');
  const other = ids.member('200001');
  const api = '/admin/api/resources';
  return [
    '/admin',
    '/admin/login',
    '/admin/logout',
    '/admin/unohtunut-salasana',
    '/admin/kaksivaiheinen',
    '/admin/kaksivaiheinen/varakoodi',
    '/admin/kaksivaiheinen/kayttoonotto',
    '/admin/aktivointikirjeet',
    '/admin/resources/members',
    '/admin/resources/members/records/ID/show',
    '/admin/pages/x',
    '/admin/api/dashboard',
    '/admin/api/pages/x',
    ...['members', 'associations', 'not_found_cases', 'mail_queue', 'audit_log', 'staff_users'].flatMap((resource) => [
      `${api}/${resource}/actions/list`,
      `${api}/${resource}/actions/new`,
      `${api}/${resource}/search/QUERY`,
      `${api}/${resource}/records/ID/show`,
      `${api}/${resource}/records/ID/edit`,
      `${api}/${resource}/records/ID/delete`,
      `${api}/${resource}/bulk/bulkDelete?recordIds=ID`,
    ]),
    `${api}/members/records/${member}/sendLink`,
    `${api}/members/records/${other}/sendLink`,
    `${api}/members/records/${member}/mailStatus`,
    `${api}/members/records/${member}/letterStatus`,
    `${api}/members/bulk/bulkSendLink?recordIds=${member},${other}`,
    `${api}/members/actions/sendToAllWaiting`,
    `${api}/members/actions/linkSendProgress`,
    `${api}/not_found_cases/records/1/resolve`,
    `${api}/not_found_cases/records/1/findMembers`,
    `${api}/staff_users/records/ID/resendInvitation`,
    `${api}/members/records/${member}/printLetter`,
    `${api}/members/bulk/bulkPrintLetters?recordIds=${member},${other}`,
    `${api}/members/actions/printLettersWithoutEmail`,
    `${api}/no_such/actions/list`,
    `${api}/members/actions/no_such`,
  ];
}

/** One malformed request: a path, then one or more of path, query, cookie and body made bad. */
function malformedRequest(random: ReturnType<typeof generator>, index: number): { request: RawRequest; label: string } {
  const { next, pick } = random;
  const admin = next() < 0.55;
  const who = admin ? pick(['none', 'federation', 'federation', 'association'] as const) : pick(['none', 'member'] as const);
  let path = admin ? pick(adminPaths()) : pick(next() < 0.5 ? PORTAL_FORMS : PORTAL_PATHS);
  path = path
    .replace('TOKEN', next() < 0.6 ? linkToken : pick(BAD_TEXT))
    .replace('ID', pick([String(ids.member('100001')), String(ids.member('200001')), '0', '-1', '1e3', '99999999999999999999', pick(BAD_TEXT)]))
    .replace('QUERY', pick(['Maija', ...BAD_TEXT]));
  const faults = new Set<string>();
  while (faults.size === 0 || next() < 0.35) faults.add(pick(['path', 'query', 'cookie', 'body', 'body', 'keys', 'type', 'odd-query', 'odd-query', 'odd-body', 'odd-body', 'odd-body', 'case']));

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
  const cookies = [sessions[who]].filter(Boolean);
  if (faults.has('cookie')) cookies.push(pick(['kieli=%', 'kieli=%E0%A4%A', 'kieli=%00', `asiointi-admin=s%3A${pick(BAD_TEXT)}`, `asiointi=${pick(BAD_TEXT)}`, 'asiointi-laite=%ZZ', `kieli=${'x'.repeat(3000)}`, 'kieli=sv; kieli=%']));
  if (cookies.length > 0) headers.cookie = cookies.join('; ');

  let method = pick(['GET', 'POST', 'POST', 'POST', 'HEAD', 'PUT', 'DELETE', 'PATCH']);
  let body: Buffer | undefined;
  if (faults.has('odd-body') && !faults.has('body') && !faults.has('type')) {
    method = 'POST';
    const fields = Object.fromEntries(Array.from({ length: 1 + Math.floor(next() * 4) }, () => [pick(REAL_FIELDS), pick(ODD_BUT_WELL_FORMED)]));
    if (next() < 0.3) fields._csrf = csrf;
    const kind = pick(['form', 'json', 'multipart']);
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
    method = 'POST';
    const key = faults.has('keys') ? pick(ODD_KEYS) : pick(['email', 'password', 'memberNumber', 'name', 'emailToAdd', 'first_name', 'association_id', 'role', 'active']);
    const value = pick([...BAD_TEXT, ...ODD_VALUES]);
    const kind = faults.has('type') ? pick(['none', 'text', 'octet', 'json-broken', 'xml', 'multipart-broken', 'charset']) : pick(['form', 'form', 'raw-utf8', 'multipart', 'json', 'big', 'file']);
    const made = bodyOf(kind, key, value, random);
    body = made.body;
    if (made.type) headers['content-type'] = made.type;
    else delete headers['content-type'];
  }
  return { request: { method, target: path, headers, body }, label: `#${index} ${who} ${method} ${path.slice(0, 160)} cookie: ${(headers.cookie ?? '').slice(0, 80)} type: ${headers['content-type'] ?? ''} body: ${body ? JSON.stringify(body.subarray(0, 80).toString('latin1')) : ''}` };
}

function bodyOf(kind: string, key: string, value: string, { pick }: ReturnType<typeof generator>): { body: Buffer; type?: string } {
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

test(`${REQUESTS} malformed requests over every portal form and back-office endpoint: no 5xx, and the app works afterwards`, async () => {
  const started = Date.now();
  const random = generator(Number(process.env.FUZZ_SEED ?? 20260613));
  const requests = Array.from({ length: REQUESTS }, (_, index) => malformedRequest(random, index));
  const failures: string[] = [];
  const statuses = new Map<number, number>();
  let nextIndex = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (nextIndex < requests.length) {
        const { request, label } = requests[nextIndex++]!;
        const answer = await rawRequest(portal.base, request).catch((error: Error) => ({ status: -1, text: error.message }));
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        if (answer.status >= 500 || answer.status < 0) failures.push(`${answer.status} ← ${label} → ${answer.text.slice(0, 120)}`);
      }
    }),
  );
  const seconds = (Date.now() - started) / 1000;
  console.log(`fuzz: ${REQUESTS} requests in ${seconds.toFixed(1)} s; answers by status: ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
  assert.deepEqual(failures.slice(0, 15), [], `${failures.length} answers of 5xx or no answer`);

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
