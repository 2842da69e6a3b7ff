import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import { promisify } from 'node:util';
import { assertRefused, demoIds, noticeText, sameOrigin, StaffClient } from '../helpers/admin-api.js';
import { ESIMERKKILA, FEDERATION } from '../helpers/demo-accounts.js';
import { type Portal, startClean, startPortal } from '../helpers/portal.js';
import { visibleText, WebClient } from '../helpers/web-client.js';

/**
 * «Tulosta aktivointikirje» in the back-office (issue #14), over HTTP as a browser uses it: opening
 * the action shows what printing would do and makes nothing; the page's form posts to
 * /admin/aktivointikirjeet, which makes the code and answers the PDF. The PDF is read back with
 * poppler, and its code is typed into /aktivoi. Real PostgreSQL, no mocks.
 */
const run = promisify(execFile);
let portal: Portal;
let ids: Awaited<ReturnType<typeof demoIds>>;
let dir: string;

const LETTERS = '/admin/aktivointikirjeet';
const members = (rest: string) => `/admin/api/resources/members${rest}`;
const CODE = /\b([2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4})\b/g;

before(async () => {
  portal = await startPortal();
  ids = await demoIds(portal.db);
  dir = await mkdtemp(path.join(tmpdir(), 'letter-printing-'));
});
after(() => rm(dir, { recursive: true, force: true }));
beforeEach(async () => {
  await startClean(portal);
  await portal.db('activation_codes').delete();
});

interface Download {
  status: number;
  headers: Headers;
  body: Buffer;
}

/** The page's form as a browser posts it (urlencoded, from the back-office's own page), the answer kept as bytes. */
async function postForm(staff: StaffClient, fields: Record<string, string>, headers: Record<string, string> = sameOrigin(portal.base)): Promise<Download> {
  const response = await fetch(`${portal.base}${LETTERS}`, {
    method: 'POST',
    body: new URLSearchParams(fields),
    headers: { ...headers, cookie: `asiointi-admin=${staff.cookie()}` },
    redirect: 'manual',
  });
  return { status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) };
}

async function pdfText(pdf: Buffer): Promise<{ text: string; pages: number }> {
  const file = path.join(dir, `${Date.now()}-${Math.random().toString(36).slice(2)}.pdf`);
  await writeFile(file, pdf);
  const text = (await run('pdftotext', ['-layout', file, '-'])).stdout;
  const pages = Number(/Pages:\s+(\d+)/.exec((await run('pdfinfo', [file])).stdout)?.[1]);
  return { text: text.replace(/\s+/g, ' '), pages };
}

const lastAuditId = async () => Number((await portal.db('audit_log').max({ id: 'id' }).first())?.id ?? 0);
const codesOf = (memberNumber: string) => portal.db('activation_codes as c').join('members as m', 'm.id', 'c.member_id').where('m.member_number', memberNumber).select('c.*');

/** Types the code at /aktivoi as a member would: 303 to «PALAUTA SALASANA» when it works. */
async function activate(memberNumber: string, code: string) {
  const client = new WebClient(portal.base);
  await client.get('/aktivoi');
  const answer = await client.post('/aktivoi', { memberNumber, code });
  if (answer.status === 303) assert.match(visibleText((await client.get(answer.location!)).text), /PALAUTA SALASANA/);
  return answer.status;
}

test("Esimerkkilä's staff and federation staff print Teemu's letter: the page says what will happen, the POST answers his PDF, and its code works at /aktivoi", async () => {
  const teemu = ids.member('100003');
  const since = await lastAuditId();
  const esimerkkila = await StaffClient.login(portal.base, ...ESIMERKKILA);

  const opened = await esimerkkila.get(members(`/records/${teemu}/printLetter`));
  assert.equal(opened.status, 200);
  const { validUntil, ...preview } = opened.json.preview;
  assert.deepEqual(preview, {
    name: 'Teemu Testaaja',
    memberNumber: '100003',
    address: ['Rantatie 12 B 4', '33200 TAMPERE'],
    refusal: null,
    hasPassword: false,
    hasEmail: false,
    liveLetterAt: null,
    validDays: 30,
  });
  assert.match(validUntil, /^\d{4}-\d{2}-\d{2}$/);
  assert.equal((await codesOf('100003')).length, 0, 'opening the page makes no code');

  const letter = await postForm(esimerkkila, { memberId: String(teemu) });
  assert.equal(letter.status, 200);
  assert.equal(letter.headers.get('content-type'), 'application/pdf');
  assert.equal(letter.headers.get('content-disposition'), 'attachment; filename="aktivointikirje-100003.pdf"');
  assert.equal(letter.headers.get('cache-control'), 'no-store');
  const { text, pages } = await pdfText(letter.body);
  assert.equal(pages, 1);
  for (const words of ['Teemu Testaaja', 'Rantatie 12 B 4', '33200 TAMPERE', '100003', 'Esimerkkilän Invalidit ry']) assert.ok(text.includes(words), `${words} in the letter`);
  const [first] = [...text.matchAll(CODE)].map((m) => m[1]!);
  assert.ok(first, 'the code is printed');
  const audit = await portal.db('audit_log').where({ action: 'activation.letter-made', member_id: teemu }).where('id', '>', since).orderBy('id');
  assert.equal(audit.length, 1);
  assert.equal(audit[0].actor_id, ids.staff(ESIMERKKILA[0]));

  // Federation staff see the letter just printed, and printing theirs ends its code.
  const federation = await StaffClient.login(portal.base, ...FEDERATION);
  const again = await federation.get(members(`/records/${teemu}/printLetter`));
  assert.ok(again.json.preview.liveLetterAt, 'the page says a letter whose code works was printed');
  const newer = await postForm(federation, { memberId: String(teemu) });
  assert.equal(newer.status, 200);
  const [second] = [...(await pdfText(newer.body)).text.matchAll(CODE)].map((m) => m[1]!);
  assert.notEqual(second, first);
  assert.equal(await activate('100003', first), 410, 'the older letter no longer works');
  assert.equal(await activate('100003', second!), 303, "the newest letter's code opens «PALAUTA SALASANA»");
});

test("Esimerkkilä's staff cannot print Mallila's Pekka's letter through the action, the bulk actions or the form's address; no code is made", async () => {
  const pekka = ids.member('200002');
  const staff = await StaffClient.login(portal.base, ...ESIMERKKILA);
  assertRefused(await staff.get(members(`/records/${pekka}/printLetter`)), 'record action');
  assertRefused(await staff.post(members(`/records/${pekka}/printLetter`), {}), 'record action by POST');
  assertRefused(await staff.get(members(`/bulk/bulkPrintLetters?recordIds=${pekka}`)), 'bulk action');
  assert.equal((await postForm(staff, { memberId: String(pekka) })).status, 404);
  assert.equal((await postForm(staff, { selection: 'selected', memberIds: String(pekka) })).status, 404);

  // «Everyone without email and password» in Esimerkkilä is Teemu alone, never Pekka.
  const everyone = await postForm(staff, { selection: 'without-email-or-password' });
  assert.equal(everyone.status, 200);
  const { text, pages } = await pdfText(everyone.body);
  assert.equal(pages, 1);
  assert.ok(text.includes('Teemu Testaaja') && !text.includes('Pekka'), text);
  assert.deepEqual(await codesOf('200002'), [], 'no code for Pekka');
});

test('opening any letter page by GET makes no code, and a POST from another site or without a browser origin is refused', async () => {
  const teemu = ids.member('100003');
  const since = await lastAuditId();
  const staff = await StaffClient.login(portal.base, ...ESIMERKKILA);
  await staff.get(members(`/records/${teemu}/printLetter`));
  await staff.get(members(`/bulk/bulkPrintLetters?recordIds=${teemu}`));
  await staff.get(members('/actions/printLettersWithoutEmail'));
  assert.equal((await staff.get(`${LETTERS}?memberId=${teemu}`)).status, 404, 'the form address takes POST only');
  const posted = await staff.post(members(`/records/${teemu}/printLetter`), { memberId: String(teemu) });
  assert.equal(posted.status, 200, 'the action itself only previews, whatever the method');

  const crossSite = await postForm(staff, { memberId: String(teemu) }, { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' });
  assert.equal(crossSite.status, 403);
  assert.equal((await postForm(staff, { memberId: String(teemu) }, {})).status, 403, 'no origin said at all');
  assert.equal((await postForm(staff, { selection: 'without-email-or-password' }, { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' })).status, 403);
  assert.deepEqual(await codesOf('100003'), []);
  assert.equal(await portal.db('audit_log').where({ action: 'activation.letter-made' }).where('id', '>', since).first(), undefined);

  const loggedOut = await fetch(`${portal.base}${LETTERS}`, { method: 'POST', body: new URLSearchParams({ memberId: String(teemu) }), headers: sameOrigin(portal.base), redirect: 'manual' });
  assert.equal(loggedOut.status, 303, 'without a session: to the login page');
  assert.equal(loggedOut.headers.get('location'), '/admin/login');
});

test('an ended membership or a missing postal address is refused up front, and by the form address in the staff language', async () => {
  const ulla = ids.member('200003');
  const maija = ids.member('100001');
  const federation = await StaffClient.login(portal.base, ...FEDERATION);
  assert.equal((await federation.get(members(`/records/${ulla}/printLetter`))).json.preview.refusal, 'membershipEnded');
  const ended = await postForm(federation, { memberId: String(ulla) });
  assert.equal(ended.status, 409);
  assert.equal(ended.body.toString(), noticeText({ message: 'letter_refused_membershipEnded' }));

  await portal.db('members').where({ id: maija }).update({ street_address: null });
  try {
    const opened = await federation.get(members(`/records/${maija}/printLetter`));
    assert.equal(opened.json.preview.refusal, 'noPostalAddress');
    assert.equal(opened.json.preview.address, null);
    assert.equal((await postForm(federation, { memberId: String(maija) })).status, 409);
  } finally {
    await portal.db('members').where({ id: maija }).update({ street_address: 'Koivukuja 3 A 5' });
  }
  assert.equal((await postForm(federation, { memberId: 'x' })).status, 404);
  assert.equal((await postForm(federation, { selection: 'selected', memberIds: '1,x' })).status, 400);
  assert.equal(await portal.db('activation_codes').first(), undefined);
});

test('bulk: the preview counts the letters and names who is left out and why; confirming answers one PDF, a page per member, each audited', async () => {
  const numbers = ['100001', '100003', '200001', '200002', '200003'];
  const selected = numbers.map((n) => ids.member(n)).join(',');
  await portal.db('members').where({ id: ids.member('100001') }).update({ postal_code: null });
  const since = await lastAuditId();
  try {
    const federation = await StaffClient.login(portal.base, ...FEDERATION);
    const opened = await federation.get(members(`/bulk/bulkPrintLetters?recordIds=${selected}`));
    assert.equal(opened.status, 200);
    const { validUntil, ...preview } = opened.json.preview;
    assert.deepEqual(preview, {
      letters: 3,
      withPassword: 1,
      replacingLetter: 0,
      leftOut: { membershipEnded: { count: 1, sample: ['200003'] }, noPostalAddress: { count: 1, sample: ['100001'] }, hasLetter: { count: 0, sample: [] } },
      validDays: 30,
    });
    assert.match(validUntil, /^\d{4}-\d{2}-\d{2}$/);
    assert.equal(await portal.db('activation_codes').first(), undefined, 'the preview makes nothing');

    const batch = await postForm(federation, { selection: 'selected', memberIds: selected });
    assert.equal(batch.status, 200);
    assert.equal(batch.headers.get('content-type'), 'application/pdf');
    assert.match(batch.headers.get('content-disposition')!, /^attachment; filename="aktivointikirjeet-\d{4}-\d{2}-\d{2}\.pdf"$/);
    assert.equal(batch.headers.get('cache-control'), 'no-store');
    const { text, pages } = await pdfText(batch.body);
    assert.equal(pages, 3);
    assert.deepEqual([...text.matchAll(/\b(Teemu Testaaja|Liisa Esimerkki|Pekka Puuttuva|Ulla Ulkona|Maija Meikäläinen)\b/g)].map((m) => m[1]).filter((name, i, all) => all.indexOf(name) === i), ['Teemu Testaaja', 'Liisa Esimerkki', 'Pekka Puuttuva']);
    const codes = [...text.matchAll(CODE)].map((m) => m[1]!);
    assert.equal(new Set(codes).size, 3, 'a code on each page');
    assert.equal(await activate('200002', codes[2]!), 303, "Pekka's page carries Pekka's code");
    const audit = await portal.db('audit_log').where({ action: 'activation.letter-made' }).where('id', '>', since).orderBy('id').select('member_id', 'details');
    assert.deepEqual(audit.map((row) => row.member_id).sort(), ['100003', '200001', '200002'].map((n) => ids.member(n)).sort());
    assert.deepEqual(audit[0].details, { validDays: 30, selection: 'selected', letters: 3 });
  } finally {
    await portal.db('members').where({ id: ids.member('100001') }).update({ postal_code: '33100' });
  }
});

test('«everyone without email and password» leaves out whoever has a letter that still works, so printing it again ends no code in the post', async () => {
  const staff = await StaffClient.login(portal.base, ...ESIMERKKILA);
  const first = await staff.get(members('/actions/printLettersWithoutEmail'));
  assert.equal(first.json.preview.letters, 1, 'Teemu');
  assert.equal((await postForm(staff, { selection: 'without-email-or-password' })).status, 200);

  const second = await staff.get(members('/actions/printLettersWithoutEmail'));
  assert.equal(second.json.preview.letters, 0);
  assert.deepEqual(second.json.preview.leftOut.hasLetter, { count: 1, sample: ['100003'] });
  const refused = await postForm(staff, { selection: 'without-email-or-password' });
  assert.equal(refused.status, 409);
  assert.equal(refused.body.toString(), noticeText({ message: 'letters_nothingMade' }));
  const codes = await codesOf('100003');
  assert.equal(codes.length, 1);
  assert.equal(codes[0].revoked_at, null, 'the letter in the post still works');
});
