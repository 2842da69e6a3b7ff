import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import type { Db } from '../../src/db/connection.js';
import { hashPassword } from '../../src/passwords/hashing.js';
import { StaffClient } from './admin-api.js';
import { visibleText } from './web-client.js';

/**
 * RFC 6238 written out here on node:crypto, apart from the library the app uses, as an
 * authenticator app computes it: a code the app accepts from this is a code any app's would be.
 */
export function totpCode(base32Secret: string, at = Date.now(), stepOffset = 0): string {
  const step = Math.floor(at / 1000 / 30) + stepOffset;
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const digest = createHmac('sha1', base32Decode(base32Secret)).update(counter).digest();
  const offset = digest[digest.length - 1]! & 0x0f;
  const binary = digest.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 1_000_000).padStart(6, '0');
}

function base32Decode(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const char of text.replace(/[\s=]/g, '').toUpperCase()) {
    const value = alphabet.indexOf(char);
    assert.ok(value >= 0, `not base32: ${char}`);
    bits += value.toString(2).padStart(5, '0');
  }
  return Buffer.from((bits.match(/.{8}/g) ?? []).map((byte) => parseInt(byte, 2)));
}

/** A six-digit code that is none of the codes valid around now (so it is surely wrong). */
export function wrongCode(secret: string): string {
  const valid = new Set([-2, -1, 0, 1, 2].map((offset) => totpCode(secret, Date.now(), offset)));
  for (let n = 123456; ; n = (n + 111111) % 1_000_000) {
    const candidate = String(n).padStart(6, '0');
    if (!valid.has(candidate)) return candidate;
  }
}

/** The key the enrolment page shows as text (for people who cannot scan the QR code), without its spaces. */
export function secretOnPage(html: string): string {
  const match = /id="totp-secret"[^>]*>([A-Z2-7 ]+)</.exec(html);
  assert.ok(match, `the enrolment page shows the key as text: ${visibleText(html).slice(0, 300)}`);
  return match[1]!.replace(/ /g, '');
}

/** The recovery codes listed once after enrolment. */
export function recoveryCodesOnPage(html: string): string[] {
  const list = /<ol[^>]*id="recovery-codes"[^>]*>([\s\S]*?)<\/ol>/.exec(html)?.[1] ?? '';
  return [...list.matchAll(/<strong>([a-z0-9-]+)<\/strong>/g)].map((m) => m[1]!);
}

/** A staff account of its own for a test (the demo accounts stay unenrolled for every other test). */
export async function addStaff(db: Db, email: string, password: string, role: 'federation' | 'association' = 'association'): Promise<number> {
  const association = role === 'association' ? (await db('associations').orderBy('id').first('id')).id : null;
  const [{ id }] = await db('staff_users').insert({ email, name: `Testi ${email.split('@')[0]}`, role, association_id: association }).returning('id');
  await db('staff_credentials').insert({ staff_user_id: id, password_hash: await hashPassword(password, 10) });
  return id;
}

/** A back-office form as a browser posts it: urlencoded, from the back-office's own page. */
export function postForm(client: StaffClient, path: string, fields: Record<string, string>) {
  return client.request(path, { method: 'POST', body: new URLSearchParams(fields) });
}

/** Password step only: where it sends the browser. */
export async function passwordStep(base: string, email: string, password: string): Promise<{ client: StaffClient; location: string | null }> {
  const client = new StaffClient(base);
  const answer = await client.login(email, password);
  assert.equal(answer.status, 303, `password accepted for ${email}`);
  return { client, location: answer.location };
}

/** Enrols through the pages (as a waiting or a logged-in session): the key read off the page, the code computed from it. */
export async function enrolThroughPages(client: StaffClient): Promise<{ secret: string; recoveryCodes: string[] }> {
  const page = await client.get('/admin/kaksivaiheinen/kayttoonotto');
  assert.equal(page.status, 200, 'the enrolment page opens');
  const secret = secretOnPage(page.text);
  const done = await postForm(client, '/admin/kaksivaiheinen/kayttoonotto', { code: totpCode(secret) });
  assert.equal(done.status, 200, visibleText(done.text).slice(0, 300));
  const recoveryCodes = recoveryCodesOnPage(done.text);
  assert.equal(recoveryCodes.length, 10, 'ten recovery codes are shown');
  return { secret, recoveryCodes };
}
