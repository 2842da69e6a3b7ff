import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hashPassword, verifyPassword } from '../../src/passwords/hashing.js';
import { checkPassword } from '../../src/passwords/policy.js';

test('a 73-byte password and its 72-byte prefix do not both verify (nothing is truncated)', async () => {
  const long = 'a'.repeat(72) + 'b';
  assert.equal(Buffer.byteLength(long), 73);
  const hash = await hashPassword(long, 10);
  assert.equal(await verifyPassword(long, hash), true);
  assert.equal(await verifyPassword(long.slice(0, 72), hash), false);
  // Multi-byte characters: bytes past 72 count too.
  const finnish = 'äöå'.repeat(20) + 'loppu';
  const finnishHash = await hashPassword(finnish, 10);
  assert.equal(await verifyPassword(finnish.slice(0, -1), finnishHash), false);
});

test('a NUL byte does not end the password', async () => {
  const hash = await hashPassword('alku\u0000loppu-salasana', 10);
  assert.equal(await verifyPassword('alku', hash), false);
  assert.equal(await verifyPassword('alku\u0000loppu-salasana', hash), true);
});

test('passwords are compared after Unicode NFKC normalisation', async () => {
  const composed = 'Kesä on ihana ja pitkä';
  const decomposed = composed.normalize('NFD');
  assert.notEqual(composed, decomposed);
  assert.equal(await verifyPassword(decomposed, await hashPassword(composed, 10)), true);
});

test('bcrypt cost comes from configuration', async () => {
  assert.match(await hashPassword('Tämä on pitkä salasana', 11), /^\$2b\$11\$/);
});

test('password rules: 12 to 128 characters, anything goes, common ones refused', () => {
  assert.equal(checkPassword(''), 'missing');
  assert.equal(checkPassword('lyhyt-sana1'), 'tooShort');
  assert.equal(checkPassword('x'.repeat(129).replace(/x/g, (_, i) => String.fromCharCode(97 + (i % 26)))), 'tooLong');
  assert.equal(checkPassword('😀😀😀😀😀😀😀😀😀😀😀'), 'tooShort', 'emoji count as one character each');
  assert.equal(checkPassword('kissa istuu ikkunalla 😀'), undefined);
  assert.equal(checkPassword('Äidin ja isän mökillä'), undefined);
  assert.equal(checkPassword('a'.repeat(12)), 'common');
  assert.equal(checkPassword('123456789012'), 'common');
  for (const common of ['salasana1234', 'Salasana2026!', 'salasana123456', 'Qwertyuiop123', 'password1234', 'Invalidiliitto1', 'kissakoira123', 'SALASANA SALASANA']) {
    assert.equal(checkPassword(common), 'common', common);
  }
  assert.equal(checkPassword('100001-100001', { memberNumber: '100001' }), 'common', 'the member number twice');
});

test('a password of only whitespace is refused as too easy to guess', () => {
  for (const blank of [' '.repeat(12), '\t'.repeat(12), '\u00a0'.repeat(14), ' \u3000'.repeat(7), '\n '.repeat(8)]) {
    assert.equal(checkPassword(blank), 'common', JSON.stringify(blank));
  }
});

const KORHONEN = { memberNumber: '300123', names: ['Sirkka-Liisa', 'Korhonen'], email: 'sirkka.korhonen@example.fi', federationName: 'Vammaisliitto' };

test("a password made of the account's own number, names, address or the federation's name is refused", () => {
  for (const guessable of [
    'Korhonen300123',
    'korhonen 300123',
    'Sirkka-Liisa Korhonen 300123',
    'KORHONEN-300123!',
    'sirkka.korhonen2026',
    'Sirkka Korhonen 1975',
    '300123 Korhonen 300123',
    'Vammaisliitto Korhonen',
    'Vammaisliitto 300123',
    'korhosirkka korhonen', // what is left after the words ("korhosirkka" minus "sirkka") is 5 characters
    'Korhonen kesä1',
  ]) {
    assert.equal(checkPassword(guessable, KORHONEN), 'common', guessable);
  }
  for (const fine of ['Korhosen kesämökki järvellä', 'Sirkan koira Musti 300123', 'Kolme kissaa ja Korhonen']) {
    assert.equal(checkPassword(fine, KORHONEN), undefined, fine);
  }
  // Korhonen is also a common Finnish surname, refused with digits for anyone (src/passwords/common-passwords.ts).
  assert.equal(checkPassword('Kuusniemelä300123'), undefined, 'without context a rare name is not known to be the account\'s own');
  assert.equal(checkPassword('Kuusniemelä300123', { names: ['Kuusniemelä'] }), 'common');
});

test('context words are compared without accents and case, and the demo examples stay refused', () => {
  const maija = { memberNumber: '100001', names: ['Maija', 'Meikäläinen'], email: 'maija.meikalainen@example.fi', federationName: 'Invalidiliitto' };
  for (const guessable of ['Meikäläinen100001', 'meikäläinen 100001', 'Maija Meikäläinen 100001', 'MEIKALAINEN 100001', 'Maija.Meikalainen.2026']) {
    assert.equal(checkPassword(guessable, maija), 'common', guessable);
  }
  const staff = { names: ['Uusi Sihteeri'], email: 'uusi.sihteeri@mallila.example', federationName: 'Invalidiliitto' };
  assert.equal(checkPassword('Uusi Sihteeri 2026!', staff), 'common');
  assert.equal(checkPassword('Sihteerin oma salasana', staff), undefined);
});
