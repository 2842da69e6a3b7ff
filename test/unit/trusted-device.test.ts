import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addMember, DEVICE_COOKIE_MAX_AGE_MS, signDevice, verifyDevice } from '../../src/passwords/trusted-device.js';

const SECRET = 'test-session-secret-that-is-long-enough';
const NOW = Date.UTC(2026, 0, 15);

test('a signed device cookie reads back as the same device', () => {
  const device = addMember(undefined, '200001', NOW);
  assert.match(device.id, /^[A-Za-z0-9_-]{22}$/, '16 random bytes');
  assert.deepEqual(verifyDevice(SECRET, signDevice(SECRET, device), NOW), device);
});

test('changing any one character of the cookie, or dropping the signature, makes it worthless', () => {
  const cookie = signDevice(SECRET, addMember(undefined, '200001', NOW));
  for (let i = 0; i < cookie.length; i++) {
    for (const replacement of ['A', 'B', '0', '.']) {
      if (cookie[i] === replacement) continue;
      const tampered = cookie.slice(0, i) + replacement + cookie.slice(i + 1);
      assert.equal(verifyDevice(SECRET, tampered, NOW), undefined, `position ${i} → ${replacement}`);
    }
  }
  assert.equal(verifyDevice(SECRET, cookie.slice(0, cookie.lastIndexOf('.')), NOW), undefined, 'unsigned');
  assert.equal(verifyDevice(SECRET, `${cookie}x`, NOW), undefined, 'a longer signature');
});

test('a cookie signed with another secret, or older than 180 days, counts as none', () => {
  const device = addMember(undefined, '200001', NOW);
  assert.equal(verifyDevice('another-secret-that-is-also-long-enough', signDevice(SECRET, device), NOW), undefined);
  assert.ok(verifyDevice(SECRET, signDevice(SECRET, device), NOW + DEVICE_COOKIE_MAX_AGE_MS - 1));
  assert.equal(verifyDevice(SECRET, signDevice(SECRET, device), NOW + DEVICE_COOKIE_MAX_AGE_MS), undefined);
});

test('a signed cookie that is not a device (wrong shape) counts as none', () => {
  const bad = [
    { id: 'short', memberNumbers: ['200001'], issuedAt: NOW },
    { id: 'A'.repeat(22), memberNumbers: ['20000x'], issuedAt: NOW },
    { id: 'A'.repeat(22), memberNumbers: ['1', '2', '3', '4', '5', '6'], issuedAt: NOW },
  ];
  for (const device of bad) assert.equal(verifyDevice(SECRET, signDevice(SECRET, device), NOW), undefined, JSON.stringify(device));
  assert.equal(verifyDevice(SECRET, 'x'.repeat(500), NOW), undefined, 'too long to be ours');
  assert.equal(verifyDevice(SECRET, undefined, NOW), undefined);
});

test('a device lists at most five member numbers, the newest first; it keeps its id', () => {
  let device = addMember(undefined, '100001', NOW);
  const id = device.id;
  for (const number of ['100002', '100003', '200001', '200002', '200003']) device = addMember(device, number, NOW);
  assert.deepEqual(device.memberNumbers, ['200003', '200002', '200001', '100003', '100002']);
  device = addMember(device, '100003', NOW + 1);
  assert.deepEqual(device.memberNumbers, ['100003', '200003', '200002', '200001', '100002'], 'a returning number moves to the front, not twice');
  assert.equal(device.id, id);
  assert.equal(device.issuedAt, NOW + 1, 'renewed at each login');
});
