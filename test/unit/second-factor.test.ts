import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.js';
import { hashRecoveryCode, newRecoveryCodes, normaliseRecoveryCode, openSecret, sealSecret } from '../../src/staff/second-factor-secrets.js';
import { totpCode } from '../helpers/second-factor.js';

const KEY = 'a-session-secret-that-is-long-enough-for-tests';
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

test('STAFF_MFA defaults to required in production and optional elsewhere, and takes only required or optional', () => {
  const production = { NODE_ENV: 'production', DATABASE_URL: 'postgres://db/x', SESSION_SECRET: KEY, SMTP_URL: 'smtp://mail.example.fi', PUBLIC_URL: 'https://asiointi.example.fi' };
  assert.equal(loadConfig(production).staffMfa, 'required');
  assert.equal(loadConfig({ ...production, STAFF_MFA: 'optional' }).staffMfa, 'optional');
  assert.equal(loadConfig({}).staffMfa, 'optional');
  assert.equal(loadConfig({ STAFF_MFA: 'Required' }).staffMfa, 'required');
  assert.throws(() => loadConfig({ STAFF_MFA: 'yes' }), (error) => error instanceof ConfigError && /STAFF_MFA must be required or optional/.test(error.message));
});

test('a sealed TOTP secret opens only with the same SESSION_SECRET and for the same staff member', () => {
  const sealed = sealSecret(KEY, 7, SECRET);
  assert.ok(!sealed.includes(SECRET));
  assert.notEqual(sealSecret(KEY, 7, SECRET), sealed, 'a fresh nonce each time');
  assert.equal(openSecret(KEY, 7, sealed), SECRET);
  assert.equal(openSecret(KEY, 8, sealed), undefined, 'copied onto another staff member');
  assert.equal(openSecret(`${KEY}-changed`, 7, sealed), undefined, 'another SESSION_SECRET');
  assert.equal(openSecret(KEY, 7, sealed.slice(0, -2)), undefined, 'damaged');
  assert.equal(openSecret(KEY, 7, 'not sealed'), undefined);
});

test('recovery codes: ten different ones, read the same whatever the case, spaces and hyphens; hashed with the key', () => {
  const codes = newRecoveryCodes();
  assert.equal(new Set(codes).size, 10);
  for (const code of codes) assert.match(code, /^[a-hj-km-np-z2-9]{5}-[a-hj-km-np-z2-9]{5}$/);
  const typed = ` ${codes[0]!.toUpperCase().replace('-', ' ')} `;
  assert.equal(normaliseRecoveryCode(typed), codes[0]!.replace('-', ''));
  assert.equal(normaliseRecoveryCode('abcde-2345'), undefined, 'too short');
  assert.equal(normaliseRecoveryCode('abcde-2345o'), undefined, 'o is not in the alphabet');
  const normalised = normaliseRecoveryCode(codes[0]!)!;
  assert.equal(hashRecoveryCode(KEY, normalised), hashRecoveryCode(KEY, normalised));
  assert.notEqual(hashRecoveryCode(KEY, normalised), hashRecoveryCode(`${KEY}-changed`, normalised));
});

test("the tests' own RFC 6238 code matches the RFC's test vector (SHA-1, T = 59 s)", () => {
  // RFC 6238 appendix B: secret "12345678901234567890", time 59 → 94287082 (8 digits); 6 digits: 287082.
  assert.equal(totpCode('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 59_000), '287082');
  assert.equal(totpCode('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 1_111_111_109_000), '081804');
});
