import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import type { Config } from '../config.js';
import { cookieValue } from '../cookie-value.js';

/**
 * Trusted devices: OWASP's "device cookies" against lockout of legitimate users. A browser where a
 * member has logged in gets a signed cookie with a random device id and the member numbers that
 * have logged in there. A login attempt for a listed number is judged by counters of its own
 * (number + device, src/passwords/login.ts), so failures by other people — at the same care home,
 * office or proxy address, or on the same number — never lock the member out of their own browser.
 * Members only: staff get no device cookie (src/staff/authenticate.ts says why).
 */

export const DEVICE_COOKIE_MAX_AGE_MS = 180 * 24 * 60 * 60 * 1000;
/** A shared computer keeps the members who used it most recently. */
const MAX_NUMBERS = 5;
/** Five 12-digit numbers, the id and the signature fit well within this; longer is not ours. */
const MAX_COOKIE_LENGTH = 400;
const DEVICE_ID = /^[A-Za-z0-9_-]{22}$/;
const MEMBER_NUMBER = /^\d{1,12}$/;

export interface TrustedDevice {
  id: string;
  /** Newest first. */
  memberNumbers: string[];
  /** When the cookie was last issued (ms); older than 180 days counts as no cookie. */
  issuedAt: number;
}

export const deviceCookieName = (config: Pick<Config, 'secureCookies'>) => (config.secureCookies ? '__Host-asiointi-laite' : 'asiointi-laite');

/** The device id to judge this attempt by: only when this browser's valid cookie lists the number. */
export function trustedDeviceFor(req: Request, config: Config, memberNumber: string): string | undefined {
  const device = readDevice(req, config);
  return device?.memberNumbers.includes(memberNumber.trim()) ? device.id : undefined;
}

/**
 * Marks this browser as one where the member has proved who they are: after a successful login,
 * and fit for after a password set through a link. Keeps the device id, so its counters stay.
 */
export function rememberDevice(req: Request, res: Response, config: Config, memberNumber: string): void {
  const device = addMember(readDevice(req, config), memberNumber);
  res.cookie(deviceCookieName(config), signDevice(secretOf(config), device), {
    httpOnly: true,
    sameSite: 'lax',
    secure: config.secureCookies,
    path: '/',
    maxAge: DEVICE_COOKIE_MAX_AGE_MS,
  });
}

function readDevice(req: Request, config: Config): TrustedDevice | undefined {
  return verifyDevice(secretOf(config), cookieValue(req.headers.cookie, deviceCookieName(config)));
}

/** The member number first, then the others that were there; at most five, the newest kept. */
export function addMember(device: TrustedDevice | undefined, memberNumber: string, now = Date.now()): TrustedDevice {
  const others = (device?.memberNumbers ?? []).filter((number) => number !== memberNumber);
  return { id: device?.id ?? randomBytes(16).toString('base64url'), memberNumbers: [memberNumber, ...others].slice(0, MAX_NUMBERS), issuedAt: now };
}

export function signDevice(secret: string, device: TrustedDevice): string {
  const payload = Buffer.from(JSON.stringify({ d: device.id, m: device.memberNumbers, t: device.issuedAt })).toString('base64url');
  return `${payload}.${mac(secret, payload)}`;
}

/** The device in a cookie value, or undefined for anything unsigned, tampered, foreign, malformed or too old. */
export function verifyDevice(secret: string, value: string | undefined, now = Date.now()): TrustedDevice | undefined {
  if (!value || value.length > MAX_COOKIE_LENGTH) return undefined;
  const dot = value.lastIndexOf('.');
  if (dot < 1) return undefined;
  const payload = value.slice(0, dot);
  // The signatures are compared as text: base64url's unused low bits could otherwise make two spellings decode alike.
  if (!sameText(value.slice(dot + 1), mac(secret, payload))) return undefined;
  return parsePayload(payload, now);
}

function parsePayload(payload: string, now: number): TrustedDevice | undefined {
  try {
    const { d, m, t } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const numbers = Array.isArray(m) && m.length <= MAX_NUMBERS && m.every((n) => typeof n === 'string' && MEMBER_NUMBER.test(n)) ? (m as string[]) : undefined;
    const fresh = typeof t === 'number' && Number.isInteger(t) && now - t < DEVICE_COOKIE_MAX_AGE_MS;
    return typeof d === 'string' && DEVICE_ID.test(d) && numbers && fresh ? { id: d, memberNumbers: numbers, issuedAt: t } : undefined;
  } catch {
    return undefined;
  }
}

/** HMAC-SHA-256 under a key derived from the session secret, so a device signature never passes for any other. */
function mac(secret: string, payload: string): string {
  const key = createHmac('sha256', secret).update('asiointi-laite/v1').digest();
  return createHmac('sha256', key).update(payload).digest('base64url');
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function secretOf(config: Config): string {
  if (!config.sessionSecret) throw new Error('trusted devices need config.sessionSecret'); // createApp refuses to start without it
  return config.sessionSecret;
}
