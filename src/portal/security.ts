import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { fixedHeaders } from '../fixed-headers.js';
import { doubleCsrf } from 'csrf-csrf';
import type { Config } from '../config.js';
import { cookieValue } from '../cookie-value.js';
import { onlyReads } from '../read-requests.js';
import { loggedInMemberId } from '../sessions/member-session.js';

/** Portal headers: a CSP with no inline script and nothing from other hosts. */
export const portalHeaderOptions: Parameters<typeof helmet>[0] = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
      objectSrc: ["'none'"],
    },
  },
  referrerPolicy: { policy: 'same-origin' },
  crossOriginEmbedderPolicy: false,
};

export const portalHeaders = fixedHeaders(helmet(portalHeaderOptions));

/** Pages that carry a token in their address: never cached, never sent on as a referrer. */
export function linkPageHeaders(_req: Request, res: Response, next: NextFunction) {
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cache-Control', 'no-store');
  next();
}

/** Every page under a session is personal: keep it out of shared caches and the back-forward cache. */
export function noStore(_req: Request, res: Response, next: NextFunction) {
  res.setHeader('Cache-Control', 'no-store');
  next();
}

/**
 * CSRF protection by signed double submit (csrf-csrf): the token is a random value with its HMAC
 * under the session secret, sent both as a cookie (HttpOnly, SameSite=Strict, __Host- over https)
 * and in the form as _csrf; a post is accepted when the two agree and the HMAC is ours. Nothing is
 * stored on the server, so a visitor who only opens the login or order page gets no session row,
 * and the token travels in the response headers, before the page: a form posted the moment it
 * arrives is never ahead of its token. For a logged-in member the HMAC also covers the session id,
 * so a token from before login (or from another member's session) does not work after it.
 */
export function portalCsrf(config: Pick<Config, 'sessionSecret' | 'secureCookies'>) {
  const secret = config.sessionSecret!;
  const cookieName = config.secureCookies ? '__Host-asiointi-csrf' : 'asiointi-csrf';
  const { doubleCsrfProtection, generateCsrfToken } = doubleCsrf({
    getSecret: () => secret,
    getSessionIdentifier: (req) => (loggedInMemberId(req) !== undefined ? req.session.id : ''),
    cookieName,
    cookieOptions: { sameSite: 'strict', path: '/', secure: config.secureCookies, httpOnly: true },
    getCsrfTokenFromRequest: (req) => {
      const token = (req.body as Record<string, unknown> | undefined)?._csrf;
      return typeof token === 'string' ? token : undefined;
    },
  });
  return {
    /**
     * Refuses a POST without a matching token (403, EBADCSRFTOKEN: the error page explains). A page
     * read (GET, HEAD, OPTIONS: csrf-csrf's own ignored methods) passes without its work per request.
     */
    protection: (req: Request, res: Response, next: NextFunction) => {
      if (onlyReads(req)) return next();
      withCookies(req, cookieName);
      doubleCsrfProtection(req, res, next);
    },
    /** The token for a form on this page: the visitor's current one while it is still valid, else a new one. */
    tokenFor: (req: Request, res: Response) => {
      withCookies(req, cookieName);
      return generateCsrfToken(req, res);
    },
  };
}

/**
 * csrf-csrf reads its cookie from req.cookies: given it, read when a token is made or checked, as the
 * only cookie there (nothing else of ours reads req.cookies). Express's res.cookie %-encoded it; the
 * input boundary has refused a cookie of ours whose escapes do not decode.
 */
function withCookies(req: Request, cookieName: string) {
  if (req.cookies) return;
  const raw = cookieValue(req.headers.cookie, cookieName);
  req.cookies = raw === undefined ? {} : { [cookieName]: decodedOrRaw(raw) };
}

function decodedOrRaw(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * Refuses a form post that the browser says came from another site: Sec-Fetch-Site: cross-site,
 * or an Origin that is not ours. Origin "null" says nothing: browsers send it for a page whose
 * Referrer-Policy is no-referrer, like our own link pages. A request that says nothing passes
 * (older browsers send neither): this backs up a secret the attacker cannot know, it does not
 * replace one.
 */
export function refuseCrossSite(publicUrl: string) {
  const publicOrigin = new URL(publicUrl).origin;
  return (req: Request, res: Response, next: NextFunction) => {
    const origin = req.get('origin');
    const ownOrigin = `${req.protocol}://${req.get('host')}`;
    const otherOrigin = origin !== undefined && origin !== 'null' && origin !== publicOrigin && origin !== ownOrigin;
    if (!otherOrigin && req.get('sec-fetch-site') !== 'cross-site') return next();
    res.status(403).render('pages/error', { status: 403, kind: 'crossSite' });
  };
}
