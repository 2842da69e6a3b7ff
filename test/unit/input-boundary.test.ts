import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isCleanPercentEncoded, isCleanText } from '../../src/input-boundary.js';

/**
 * isCleanPercentEncoded decides on the escaped bytes with decodeURIComponent; isCleanText (valid
 * UTF-8, no NUL, by the WHATWG decoder) is what "clean" means. They must agree on every byte sequence.
 */
const escaped = (bytes: number[]) => bytes.map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');

test('escaped bytes are clean exactly when the bytes are clean text: every one and two byte sequence', () => {
  const disagreements: string[] = [];
  for (let first = 0; first < 256; first++) {
    for (const bytes of [[first], ...Array.from({ length: 256 }, (_, second) => [first, second])]) {
      if (isCleanPercentEncoded(escaped(bytes), { asciiOnly: true }) !== isCleanText(Uint8Array.from(bytes))) disagreements.push(escaped(bytes));
    }
  }
  assert.deepEqual(disagreements, []);
});

test('three and four byte sequences at the edges of UTF-8: overlong forms, surrogates, beyond U+10FFFF', () => {
  const sequences = [
    [0xe0, 0x80, 0x80], [0xe0, 0xa0, 0x80], [0xed, 0x9f, 0xbf], [0xed, 0xa0, 0x80], [0xed, 0xbf, 0xbf], [0xef, 0xbf, 0xbf],
    [0xf0, 0x80, 0x80, 0x80], [0xf0, 0x90, 0x80, 0x80], [0xf4, 0x8f, 0xbf, 0xbf], [0xf4, 0x90, 0x80, 0x80], [0xf5, 0x80, 0x80, 0x80],
    [0xe2, 0x82], [0xf0, 0x9f, 0x98], [0xc3, 0xa4, 0xa4],
  ];
  for (const bytes of sequences) assert.equal(isCleanPercentEncoded(escaped(bytes), { asciiOnly: true }), isCleanText(Uint8Array.from(bytes)), escaped(bytes));
});

test('broken escapes, NUL and what an address or cookie may not hold are refused; ordinary values pass', () => {
  for (const value of ['%', '%2', '%%', '%u0041', '%zz', 'a%00b', 'a b', 'a\u0000b', 'ä', '€']) assert.equal(isCleanPercentEncoded(value, { asciiOnly: true }), false, value);
  for (const value of ['s%3Aabc.def%2Bghi', '/admin/api/resources/members/actions/list?page=1&filters.email=maija%40example.fi', '%252e', 'plain']) {
    assert.equal(isCleanPercentEncoded(value, { asciiOnly: true }), true, value);
  }
  // A form body may hold raw UTF-8 beside its escapes (its bytes are checked by the caller).
  assert.equal(isCleanPercentEncoded('nimi=Määttä&x=%C3%A4', { asciiOnly: false }), true);
  assert.equal(isCleanPercentEncoded('nimi=Määttä&x=%C3', { asciiOnly: false }), false);
  assert.equal(isCleanPercentEncoded('nimi=a\u0000', { asciiOnly: false }), false);
});
