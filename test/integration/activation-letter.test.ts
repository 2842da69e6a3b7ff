import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import { promisify } from 'node:util';
import { makeActivationLetter } from '../../src/letters/activation-letter.js';
import type { StaffPrincipal } from '../../src/staff/principal.js';
import { type Portal, startClean, startPortal } from '../helpers/portal.js';
import { visibleText, WebClient } from '../helpers/web-client.js';

/**
 * The printed letter for a member without email (issue #14), read back the way a person and a
 * phone read it: poppler's text of the PDF, and the QR code decoded by zbar from the page as drawn.
 */
const run = promisify(execFile);
let portal: Portal;
let dir: string;
let teemuId: number;

before(async () => {
  portal = await startPortal();
  dir = await mkdtemp(path.join(tmpdir(), 'letter-'));
  teemuId = (await portal.db('members').where({ member_number: '100003' }).first('id')).id;
});
after(() => rm(dir, { recursive: true, force: true }));
beforeEach(async () => {
  await startClean(portal);
  await portal.db('members').where({ id: teemuId }).update({ preferred_language: null });
});

async function staff(email: string): Promise<StaffPrincipal> {
  const row = await portal.db('staff_users').where({ email }).first('id', 'email', 'name', 'role', 'association_id');
  return { id: row.id, email: row.email, name: row.name, role: row.role, associationId: row.association_id };
}

async function letterFor(memberId: number, by = 'sihteeri@esimerkkila.example') {
  const outcome = await makeActivationLetter({ db: portal.db, config: portal.config, throttles: portal.background.throttles }, await staff(by), memberId);
  assert.equal(outcome.kind, 'ok');
  const file = path.join(dir, `${memberId}-${Date.now()}.pdf`);
  await writeFile(file, (outcome as { pdf: Buffer }).pdf);
  return file;
}

const pdfText = async (file: string) => (await run('pdftotext', ['-layout', file, '-'])).stdout;

async function qrOf(file: string): Promise<string> {
  const prefix = file.replace(/\.pdf$/, '');
  await run('pdftoppm', ['-r', '150', '-png', file, prefix]);
  const image = (await readdir(dir)).find((name) => name.startsWith(path.basename(prefix)) && name.endsWith('.png'))!;
  return (await run('zbarimg', ['--quiet', '--raw', path.join(dir, image)])).stdout.trim();
}

test("Teemu's letter holds his name, postal address, member number and code on one A4 page, and its QR code opens the activation page", async () => {
  const file = await letterFor(teemuId);
  const info = (await run('pdfinfo', [file])).stdout;
  assert.match(info, /Pages:\s+1\n/);
  assert.match(info, /Page size:\s+595\.28 x 841\.89 pts \(A4\)/);
  assert.match((await run('pdffonts', [file])).stdout, /Roboto-Regular\s+CID TrueType\s+Identity-H\s+yes yes yes/, 'the font is embedded');

  const text = await pdfText(file);
  for (const line of ['Teemu Testaaja', 'Rantatie 12 B 4', '33200 TAMPERE', '100003', 'Esimerkkilän Invalidit ry', 'Invalidiliitto', 'asiointi.example.fi/aktivoi', 'Näin otat palvelun käyttöön', 'sihteeri@esimerkkila.example', '040 123 4567']) {
    assert.ok(text.replace(/\s+/g, ' ').includes(line), `${line} in:\n${text}`);
  }
  const code = /\b([2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4})\b/.exec(text)?.[1];
  assert.ok(code, 'the code, grouped in fours');
  assert.match(text, /Koodi on voimassa \d{1,2}\.\d{1,2}\.\d{4} asti/);

  const qr = await qrOf(file);
  assert.equal(qr, 'http://asiointi.example.fi/aktivoi?jasennumero=100003');
  const client = new WebClient(portal.base);
  const page = await client.get(new URL(qr).pathname + new URL(qr).search);
  assert.equal(page.status, 200);
  assert.match(page.text, /name="memberNumber" type="text" value="100003"/);
  const answer = await client.post('/aktivoi', { memberNumber: '100003', code: code! });
  assert.equal(answer.status, 303, 'the printed code works');
  assert.match(visibleText((await client.get(answer.location!)).text), /PALAUTA SALASANA/);
});

test('a letter is audited, and a newer letter makes the older code stop working', async () => {
  const since = (await portal.db('audit_log').max('id as id').first())?.id ?? 0;
  const older = /([2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4})/.exec(await pdfText(await letterFor(teemuId)))![1]!;
  await letterFor(teemuId);
  const audit = await portal.db('audit_log').where({ action: 'activation.letter-made', member_id: teemuId }).where('id', '>', since).orderBy('id');
  assert.equal(audit.length, 2);
  assert.deepEqual(audit[1].details, { validDays: 30, codesSuperseded: 1 });
  assert.ok(!JSON.stringify(audit).includes(older.replace(/-/g, '')), 'the code is not in the audit log');
  const client = new WebClient(portal.base);
  await client.get('/aktivoi');
  assert.equal((await client.post('/aktivoi', { memberNumber: '100003', code: older })).status, 410);
});

test("the letter is in the member's language, and its QR code opens the page in it", async () => {
  await portal.db('members').where({ id: teemuId }).update({ preferred_language: 'sv' });
  const file = await letterFor(teemuId);
  const text = await pdfText(file);
  assert.match(text, /Så här tar du i bruk tjänsten/);
  assert.match(text, /Aktiveringskod/);
  assert.equal(await qrOf(file), 'http://asiointi.example.fi/aktivoi?jasennumero=100003&lang=sv');
});

test("Esimerkkilä's staff cannot make a letter for Mallila's member; no letter without an address or for an ended membership", async () => {
  const pekka = (await portal.db('members').where({ member_number: '200002' }).first('id')).id;
  const esimerkkila = await staff('sihteeri@esimerkkila.example');
  const deps = { db: portal.db, config: portal.config, throttles: portal.background.throttles };
  assert.deepEqual(await makeActivationLetter(deps, esimerkkila, pekka), { kind: 'notFound' });
  assert.equal(await portal.db('activation_codes').where({ member_id: pekka }).first(), undefined, 'no code was made');
  assert.equal((await makeActivationLetter(deps, await staff('sihteeri@mallila.example'), pekka)).kind, 'ok');

  const ulla = (await portal.db('members').where({ member_number: '200003' }).first('id')).id;
  assert.deepEqual(await makeActivationLetter(deps, await staff('jasenpalvelut@liitto.example'), ulla), { kind: 'refused', why: 'membershipEnded' });
  await portal.db('members').where({ id: pekka }).update({ street_address: null });
  assert.deepEqual(await makeActivationLetter(deps, await staff('jasenpalvelut@liitto.example'), pekka), { kind: 'refused', why: 'noPostalAddress' });
  await portal.db('members').where({ id: pekka }).update({ street_address: 'Myllytie 5' });
});
