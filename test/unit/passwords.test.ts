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
