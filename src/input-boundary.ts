import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { Config } from './config.js';
import { languageOf, useLanguage } from './i18n/language-middleware.js';
import { redactUrl, type Logger } from './logger.js';
import { portalHeaders } from './portal/security.js';
import { onlyReads } from './read-requests.js';

/**
 * The one input boundary, first in line for every request: an address, a cookie of ours or a form
 * body that is not clean text (a NUL byte, invalid UTF-8, a broken %-escape) is answered 400 here,
 * in the person's language, before any router, decoder or query can trip over it. PostgreSQL
 * refuses NUL in text and decodeURIComponent throws on a lone %, so whatever passes here is safe
 * for both. It also sets the headers every answer needs, static files and health checks included.
 */
const BACK_OFFICE = /^\/admin(?:\/|$)/i;
const BACK_OFFICE_API = /^\/admin\/api(?:\/|$)/i;
/** Only cookies this app reads: another site's cookie on a parent domain must not lock people out. */
const OWN_COOKIE = /^(?:__Host-)?asiointi(?:-[a-z]+)?$|^kieli$/;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Bytes that are text: valid UTF-8 and no NUL. */
export function isCleanText(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return false;
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * %-encoded text (an address, a cookie, a form body) whose escapes are all complete and decode to
 * clean text. Addresses and cookies are printable ASCII (browsers encode the rest); a form body
 * may carry raw UTF-8, which the caller has checked as bytes. decodeURIComponent refuses what
 * isCleanText refuses in the escaped bytes (a broken escape, invalid UTF-8: overlong forms,
 * surrogates, stray continuation bytes), natively and without making a Buffer of each part;
 * only a NUL is looked for after it.
 */
export function isCleanPercentEncoded(value: string, { asciiOnly }: { asciiOnly: boolean }): boolean {
  if (asciiOnly ? /[^\x21-\x7e]/.test(value) : value.includes('\u0000')) return false;
  if (!value.includes('%')) return true;
  try {
    return !decodeURIComponent(value).includes('\u0000');
  } catch {
    return false;
  }
}

/** body-parser's `verify`: a form body that is not clean text is refused (400) before it is parsed. */
export function refuseUncleanForm(_req: unknown, _res: unknown, body: Buffer): void {
  if (!isCleanText(body) || !isCleanPercentEncoded(body.toString('utf8'), { asciiOnly: false })) {
    throw Object.assign(new Error('form body is not clean text'), { status: 400, type: 'input.unclean' });
  }
}

/** The portal's forms: small, urlencoded, checked. Back-office bodies are read only after login (admin/staff-input.ts). */
const portalForms = express.urlencoded({ extended: false, limit: '20kb', parameterLimit: 20, inflate: false, verify: refuseUncleanForm });

type BoundaryConfig = Pick<Config, 'secureCookies' | 'federationName' | 'memberServicesEmail'>;

export function inputBoundary(config: BoundaryConfig, logger: Logger): RequestHandler {
  return (req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    if (!isCleanPercentEncoded(req.url, { asciiOnly: true })) return refuse(req, res, 400, 'address', [], config, logger);
    const badCookies = uncleanCookies(req.headers.cookie);
    if (badCookies.length > 0) return refuse(req, res, 400, 'cookie', badCookies, config, logger);
    if (BACK_OFFICE.test(req.path) || onlyReads(req)) return next();
    portalForms(req, res, (error?: unknown) => {
      if (!error) return next();
      const status = (error as { status?: unknown }).status;
      refuse(req, res, typeof status === 'number' && status >= 400 && status < 500 ? status : 400, 'body', [], config, logger);
    });
  };
}

function uncleanCookies(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(';')
    .map((pair) => {
      const at = pair.indexOf('=');
      return at < 0 ? [pair.trim(), ''] : [pair.slice(0, at).trim(), pair.slice(at + 1).trim()];
    })
    .filter(([name = '', value = '']) => OWN_COOKIE.test(name) && value !== '' && !isCleanPercentEncoded(value.replace(/^"(.*)"$/, '$1'), { asciiOnly: true }))
    .map(([name = '']) => name);
}

/**
 * 400 (or the body parser's 413/415): JSON for the back-office API, else the error page in the
 * person's language. A bad cookie of ours is cleared with it, so that the next page works.
 */
function refuse(req: Request, res: Response, status: number, part: string, badCookies: string[], config: BoundaryConfig, logger: Logger) {
  logger.info({ req: { method: req.method, url: redactUrl(req.originalUrl) }, refused: part, status }, 'request refused at the input boundary');
  for (const name of new Set(badCookies)) res.clearCookie(name, { path: '/', httpOnly: true, secure: config.secureCookies, sameSite: 'lax' });
  res.status(status).setHeader('Cache-Control', 'no-store');
  if (BACK_OFFICE_API.test(req.path)) {
    res.json({ notice: { message: 'invalidCharacters', type: 'error' } });
    return;
  }
  useLanguage(req, res, languageOf(req));
  Object.assign(res.locals, { currentPath: '/', federationName: config.federationName, memberServicesEmail: config.memberServicesEmail, hasErrors: false, errors: [] });
  portalHeaders(req, res, (() => {
    res.render('pages/error', { status, kind: 'badRequest' }, (error: Error | null, html: string) => (error ? res.type('text/plain').send('Bad request') : res.send(html)));
  }) as NextFunction);
}
