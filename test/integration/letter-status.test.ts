import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import type { LetterStatusLine } from '../../src/letters/letter-status.js';
import { createActivationCode } from '../../src/passwords/activation-codes.js';
import { associationSecrets, assertRefused, demoIds, sameOrigin, StaffClient } from '../helpers/admin-api.js';
import { ESIMERKKILA, FEDERATION } from '../helpers/demo-accounts.js';
import { type Portal, startClean, startPortal } from '../helpers/portal.js';
import { visibleText, WebClient } from '../helpers/web-client.js';

/**
 * Where a member stands with the printed activation letter, for staff (issue #14): «Sähköpostien
 * tila» lists each letter and what became of its code, the member's page reads the newest, and the
 * dashboard counts members without email who had a letter and who activated with one; each count is
 * the member list's «Aktivointikirje» filter. Letters are printed as staff print them (the form's
 * POST, the PDF read back with poppler) and codes typed at /aktivoi. Real PostgreSQL, no mocks.
 */
const run = promisify(execFile);
let portal: Portal;
let ids: Awaited<ReturnType<typeof demoIds>>;
let dir: string;

const members = (rest: string) => `/admin/api/resources/members${rest}`;
const CODE = /\b([2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4})\b/;

before(async () => {
  portal = await startPortal();
  ids = await demoIds(portal.db);
  dir = await mkdtemp(path.join(tmpdir(), 'letter-status-'));
  await startClean(portal);
  await portal.db('activation_codes').delete();
  await portal.db('member_credentials').where({ member_id: ids.member('100003') }).delete();
});
after(() => rm(dir, { recursive: true, force: true }));

/** Prints one member's letter as the letter page's form does, and reads the code off the PDF. */
async function printLetter(staff: StaffClient, memberId: number): Promise<string> {
  const response = await fetch(`${portal.base}/admin/aktivointikirjeet`, {
    method: 'POST',
    body: new URLSearchParams({ memberId: String(memberId) }),
    headers: { ...sameOrigin(portal.base), cookie: `asiointi-admin=${staff.cookie()}` },
    redirect: 'manual',
  });
  assert.equal(response.status, 200, 'the letter is made');
  const file = path.join(dir, `${memberId}-${Date.now()}.pdf`);
  await writeFile(file, Buffer.from(await response.arrayBuffer()));
  const code = CODE.exec((await run('pdftotext', [file, '-'])).stdout)?.[1];
  assert.ok(code, 'the code is printed');
  return code;
}

/** Types the code at /aktivoi as the member would; a code that works leads (303) to «PALAUTA SALASANA». */
async function typeCode(memberNumber: string, code: string) {
  const client = new WebClient(portal.base);
  await client.get('/aktivoi');
  return { client, answer: await client.post('/aktivoi', { memberNumber, code }) };
}

const codeStates = (letters: LetterStatusLine[]) => letters.map((letter) => letter.code.state);

test("Teemu's letters, printed, superseded, used and ended by his new password, as staff read them and as the dashboard counts them", async () => {
  const teemu = ids.member('100003');
  const staff = await StaffClient.login(portal.base, ESIMERKKILA[0], ESIMERKKILA[1], await associationSecrets(portal.db, ids.mallila));
  const letters = async () => (await staff.get(members(`/records/${teemu}/mailStatus`))).json.letters as LetterStatusLine[];
  const newest = async () => (await staff.get(members(`/records/${teemu}/letterStatus`))).json.letter as LetterStatusLine | null;
  const dashboard = async () => (await staff.get('/admin/api/dashboard')).json.rows[0].letters as Record<string, number>;
  const listed = async (letter: string) =>
    (await staff.get(members(`/actions/list?filters.letter=${letter}`))).json.records.map((r: { params: { member_number: string } }) => r.params.member_number);

  assert.deepEqual(await letters(), []);
  assert.equal(await newest(), null, 'no letter yet: the member page says none was printed');
  assert.deepEqual(await dashboard(), { printed: 0, activated: 0 });

  const first = await printLetter(staff, teemu);
  const [printed] = await letters();
  const row = await portal.db('activation_codes').where({ member_id: teemu }).first();
  assert.equal(printed!.printedAt, row.created_at.toISOString());
  assert.deepEqual(printed!.code, { state: 'valid', at: new Date(row.expires_at.getTime() - 1).toISOString() }, 'valid to the last moment of the day printed on the letter');
  assert.deepEqual(await newest(), printed);
  assert.deepEqual(await dashboard(), { printed: 1, activated: 0 });
  assert.deepEqual(await listed('printed'), ['100003']);
  assert.deepEqual(await listed('activated'), []);

  const second = await printLetter(staff, teemu);
  assert.deepEqual(codeStates(await letters()), ['valid', 'superseded'], 'newest first; the older letter is replaced');
  assert.deepEqual(await dashboard(), { printed: 1, activated: 0 }, 'members are counted, not letters');
  assert.equal((await typeCode('100003', first)).answer.status, 410, 'the first letter no longer works');

  const { client, answer } = await typeCode('100003', second);
  assert.equal(answer.status, 303, "the second letter's code works");
  const setPasswordPath = answer.location!;
  const afterUse = await letters();
  assert.deepEqual(codeStates(afterUse), ['used', 'superseded']);
  const used = await portal.db('activation_codes').where({ member_id: teemu }).whereNotNull('used_at').first();
  assert.equal(afterUse[0]!.code.at, used.used_at.toISOString());
  assert.deepEqual(await dashboard(), { printed: 1, activated: 1 });
  assert.deepEqual(await listed('activated'), ['100003']);

  // A third letter, then Teemu sets his password through the link his second letter opened: the third one's code ends.
  await printLetter(staff, teemu);
  await client.get(setPasswordPath);
  assert.match(visibleText((await client.post(setPasswordPath, { password: 'Teemun oma salasana 2026' })).text), /Salasana on vaihdettu/);
  assert.deepEqual(codeStates(await letters()), ['password-set', 'used', 'superseded']);
  assert.equal((await newest())!.code.state, 'password-set');

  // A code past its date (made here directly, so as not to wait a month) reads as expired, with when.
  await createActivationCode(portal.db, { memberId: teemu, memberNumber: '100003', staffId: null, days: 30 });
  const latest = await portal.db('activation_codes').where({ member_id: teemu }).orderBy('id', 'desc').first('id');
  await portal.db('activation_codes').where({ id: latest.id }).update({ expires_at: portal.db.raw(`now() - interval '1 minute'`) });
  const expired = (await letters())[0]!;
  assert.equal(expired.code.state, 'expired');
  assert.ok(Date.parse(expired.code.at) < Date.now());
  assert.deepEqual(await dashboard(), { printed: 1, activated: 1 });

  // Teemu gets an email address: no longer one of the members without email the letter counts are about.
  await portal.db('members').where({ id: teemu }).update({ email: 'teemu.testaaja@example.fi' });
  assert.deepEqual(await dashboard(), { printed: 0, activated: 0 });
  await portal.db('members').where({ id: teemu }).update({ email: null });
});

test("Esimerkkilä's staff cannot read a Mallila member's letters, nor find Mallila's members by the letter filter or count them", async () => {
  const pekka = ids.member('200002');
  const federation = await StaffClient.login(portal.base, ...FEDERATION);
  await printLetter(federation, pekka);
  const own = (await federation.get(members(`/records/${pekka}/letterStatus`))).json.letter as LetterStatusLine;
  assert.equal(own.code.state, 'valid', 'federation staff see it');
  const mallilaRow = (await federation.get('/admin/api/dashboard')).json.rows.find((r: { associationId: number }) => r.associationId === ids.mallila);
  assert.deepEqual(mallilaRow.letters, { printed: 1, activated: 0 });

  const staff = await StaffClient.login(portal.base, ESIMERKKILA[0], ESIMERKKILA[1], await associationSecrets(portal.db, ids.mallila));
  assertRefused(await staff.get(members(`/records/${pekka}/letterStatus`)), 'the member page line');
  assertRefused(await staff.get(members(`/records/${pekka}/mailStatus`)), 'the mail status');
  assertRefused(await staff.post(members(`/records/${pekka}/letterStatus`)), 'the member page line by POST');
  const printed = await staff.get(members('/actions/list?filters.letter=printed'));
  assert.deepEqual(printed.json.records.map((r: { params: { member_number: string } }) => r.params.member_number), ['100003']);
  const rows = (await staff.get('/admin/api/dashboard')).json.rows;
  assert.deepEqual(rows.map((r: { associationId: number }) => r.associationId), [ids.esimerkkila]);
  assert.equal((await staff.get(members('/actions/list?filters.letter=everyone'))).status, 400, 'only the filter\'s own values');
});
