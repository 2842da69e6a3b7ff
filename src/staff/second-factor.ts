import { NodeCryptoPlugin } from '@otplib/plugin-crypto-node';
import { ScureBase32Plugin } from '@otplib/plugin-base32-scure';
import { TOTP } from '@otplib/totp';
import { writeAudit } from '../audit/audit-log.js';
import type { Db } from '../db/connection.js';
import type { ServiceDeps } from '../services.js';
import { hashRecoveryCode, newRecoveryCodes, normaliseRecoveryCode, openSecret, sealSecret } from './second-factor-secrets.js';
import { codeEntryBlockedFor, countWrongCode, endCodePause } from './second-factor-throttle.js';

/**
 * The staff second factor: TOTP (RFC 6238: 6 digits, 30-second steps, SHA-1, which every
 * authenticator app reads from the QR code) and single-use recovery codes. Who must use it is
 * STAFF_MFA's rule, here once: an enrolled staff member always; everyone else only when it is
 * 'required', and they enrol at their next login.
 */
const totp = new TOTP({ crypto: new NodeCryptoPlugin(), base32: new ScureBase32Plugin() });
/** The code before and after the current one are accepted too: phone clocks drift, typing takes time. */
const TOLERANCE_SECONDS = 30;

export type SecondFactorStep = 'none' | 'code' | 'enrol';
export type CodeRefused = { kind: 'malformed' } | { kind: 'wrong' } | { kind: 'used' } | { kind: 'locked'; retryAfterMs: number } | { kind: 'unreadable' } | { kind: 'noFactor' };

interface FactorRow {
  secret_encrypted: string;
  enrolled_at: Date | null;
  last_used_step: string | number | null;
}

const factorOf = (db: Db, staffUserId: number): Promise<FactorRow | undefined> =>
  db('staff_second_factors').where({ staff_user_id: staffUserId }).first('secret_encrypted', 'enrolled_at', 'last_used_step');

function sessionSecret(deps: ServiceDeps): string {
  if (!deps.config.sessionSecret) throw new Error('the staff second factor needs SESSION_SECRET');
  return deps.config.sessionSecret;
}

/** What a staff member must do once their password was right. */
export async function secondFactorStep(deps: ServiceDeps, staffUserId: number): Promise<SecondFactorStep> {
  if ((await factorOf(deps.db, staffUserId))?.enrolled_at) return 'code';
  return deps.config.staffMfa === 'required' ? 'enrol' : 'none';
}

/**
 * The secret to add to an authenticator app, and its otpauth:// address (for the QR code). An
 * enrolment begun earlier and not confirmed keeps its secret, so reloading the page does not
 * undo a scan. Undefined when the staff member has already enrolled (only a reset starts over).
 */
export async function beginEnrolment(deps: ServiceDeps, staff: { id: number; email: string }): Promise<{ secret: string; uri: string } | undefined> {
  const row = await factorOf(deps.db, staff.id);
  if (row?.enrolled_at) return undefined;
  const readable = row ? openSecret(sessionSecret(deps), staff.id, row.secret_encrypted) : undefined;
  if (readable) return enrolment(deps, staff.email, readable);
  const sealed = sealSecret(sessionSecret(deps), staff.id, totp.generateSecret());
  // Two windows opening the page at once must end up showing the same secret: the first write wins.
  if (row) await deps.db('staff_second_factors').where({ staff_user_id: staff.id, secret_encrypted: row.secret_encrypted }).whereNull('enrolled_at').update({ secret_encrypted: sealed, created_at: deps.db.fn.now() });
  else await deps.db('staff_second_factors').insert({ staff_user_id: staff.id, secret_encrypted: sealed }).onConflict('staff_user_id').ignore();
  const stored = await factorOf(deps.db, staff.id);
  const secret = stored && !stored.enrolled_at ? openSecret(sessionSecret(deps), staff.id, stored.secret_encrypted) : undefined;
  return secret ? enrolment(deps, staff.email, secret) : undefined;
}

function enrolment(deps: ServiceDeps, email: string, secret: string) {
  return { secret, uri: totp.toURI({ issuer: `${deps.config.federationName} – ylläpito`, label: email, secret }) };
}

/**
 * The first code from the app proves it was set up right: the factor is enrolled, the code's time
 * step is spent, and ten recovery codes are made. They are returned this once; only hashes are kept.
 */
export async function confirmEnrolment(deps: ServiceDeps, staffUserId: number, typed: string): Promise<{ kind: 'enrolled'; recoveryCodes: string[] } | CodeRefused> {
  const checked = await checkCode(deps, staffUserId, typed, false);
  if (checked.kind !== 'ok') return checked;
  const recoveryCodes = newRecoveryCodes();
  const enrolled = await deps.db.transaction(async (trx) => {
    const updated = await trx('staff_second_factors')
      .where({ staff_user_id: staffUserId })
      .whereNull('enrolled_at')
      .update({ enrolled_at: trx.fn.now(), last_used_step: checked.step, last_used_at: trx.fn.now() });
    if (updated === 0) return false; // enrolled meanwhile in another window, or reset
    await trx('staff_recovery_codes').where({ staff_user_id: staffUserId }).delete();
    await trx('staff_recovery_codes').insert(recoveryCodes.map((code) => ({ staff_user_id: staffUserId, code_hash: hashRecoveryCode(sessionSecret(deps), normaliseRecoveryCode(code)!) })));
    await writeAudit(trx, { actorType: 'staff', actorId: staffUserId, action: 'staff.second-factor-enrolled', details: { recoveryCodes: recoveryCodes.length } });
    return true;
  });
  if (!enrolled) return { kind: 'noFactor' };
  await endCodePause(deps.db, staffUserId);
  return { kind: 'enrolled', recoveryCodes };
}

/** A code from the app at login. Each time step's code is accepted once: a code seen over a shoulder or replayed is refused. */
export async function verifySecondFactor(deps: ServiceDeps, staffUserId: number, typed: string): Promise<{ kind: 'ok' } | CodeRefused> {
  const checked = await checkCode(deps, staffUserId, typed, true);
  if (checked.kind !== 'ok') return checked;
  // Conditional on the step, so two requests with one code cannot both pass.
  const spent = await deps.db('staff_second_factors')
    .where({ staff_user_id: staffUserId })
    .whereNotNull('enrolled_at')
    .where((q) => q.whereNull('last_used_step').orWhere('last_used_step', '<', checked.step))
    .update({ last_used_step: checked.step, last_used_at: deps.db.fn.now() });
  if (spent === 0) return refuse(deps, staffUserId, 'used', 'code');
  await endCodePause(deps.db, staffUserId);
  await writeAudit(deps.db, { actorType: 'staff', actorId: staffUserId, action: 'staff.second-factor-succeeded', details: {} });
  return { kind: 'ok' };
}

/** A recovery code instead of the app: each works once; how many are left is said at once. */
export async function useRecoveryCode(deps: ServiceDeps, staffUserId: number, typed: string): Promise<{ kind: 'ok'; codesLeft: number } | CodeRefused> {
  const waiting = await codeEntryBlockedFor(deps.db, staffUserId);
  if (waiting > 0) return { kind: 'locked', retryAfterMs: waiting };
  const code = normaliseRecoveryCode(typed);
  if (!code) return { kind: 'malformed' };
  const used = await deps.db('staff_recovery_codes')
    .where({ staff_user_id: staffUserId, code_hash: hashRecoveryCode(sessionSecret(deps), code) })
    .whereNull('used_at')
    .whereExists((q) => q.select(1).from('staff_second_factors').where({ staff_user_id: staffUserId }).whereNotNull('enrolled_at'))
    .update({ used_at: deps.db.fn.now() });
  if (used === 0) return refuse(deps, staffUserId, 'wrong', 'recovery');
  const codesLeft = Number((await deps.db('staff_recovery_codes').where({ staff_user_id: staffUserId }).whereNull('used_at').count({ n: '*' }).first())?.n ?? 0);
  await endCodePause(deps.db, staffUserId);
  await writeAudit(deps.db, { actorType: 'staff', actorId: staffUserId, action: 'staff.second-factor-recovery-code-used', details: { recoveryCodesLeft: codesLeft } });
  return { kind: 'ok', codesLeft };
}

/**
 * The shared check of a typed TOTP code: not while blocked, only six digits (spaces allowed), and
 * against the stored secret of an enrolled (or, at enrolment, a begun) factor. A wrong code, and
 * one whose time step was already spent, count towards the limits.
 */
async function checkCode(deps: ServiceDeps, staffUserId: number, typed: string, enrolled: boolean): Promise<{ kind: 'ok'; step: number } | CodeRefused> {
  const waiting = await codeEntryBlockedFor(deps.db, staffUserId);
  if (waiting > 0) return { kind: 'locked', retryAfterMs: waiting };
  const token = typed.replace(/\s/g, '');
  if (!/^\d{6}$/.test(token)) return { kind: 'malformed' };
  const row = await factorOf(deps.db, staffUserId);
  // None to check against: reset, not begun, or (at enrolment) already enrolled in another window.
  if (!row || Boolean(row.enrolled_at) !== enrolled) return { kind: 'noFactor' };
  const secret = openSecret(sessionSecret(deps), staffUserId, row.secret_encrypted);
  if (!secret) return { kind: 'unreadable' };
  const result = await totp.verify(token, { secret, epochTolerance: TOLERANCE_SECONDS });
  if (!result.valid) return refuse(deps, staffUserId, 'wrong', 'code');
  if (row.last_used_step !== null && result.timeStep <= Number(row.last_used_step)) return refuse(deps, staffUserId, 'used', 'code');
  return { kind: 'ok', step: result.timeStep };
}

/** Counts the failure and audits it (or the lock it caused); never the code typed. */
async function refuse(deps: ServiceDeps, staffUserId: number, reason: 'wrong' | 'used', method: 'code' | 'recovery'): Promise<CodeRefused> {
  const wait = await countWrongCode(deps.db, staffUserId);
  await writeAudit(deps.db, {
    actorType: 'staff',
    actorId: staffUserId,
    action: wait > 0 ? 'staff.second-factor-locked' : 'staff.second-factor-failed',
    details: { method, reason, ...(wait > 0 ? { minutes: Math.ceil(wait / 60_000) } : {}) },
  });
  return wait > 0 ? { kind: 'locked', retryAfterMs: wait } : { kind: reason };
}
