import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { csrfSync } from 'csrf-sync';

/** Portal headers: a CSP with no inline script and nothing from other hosts. */
export const portalHeaders = helmet({
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
});

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

/** Synchroniser-token CSRF protection (csrf-sync): the token lives in the session, forms post it as _csrf. */
export const csrf = csrfSync({
  getTokenFromRequest: (req) => (req.body as Record<string, string> | undefined)?._csrf,
  size: 32,
});

/**
 * The session's CSRF token, stored in the database before the caller uses it. express-session
 * saves a changed session only when the response ends, after all but the last byte of the page
 * has been sent: a token made while rendering reaches the browser before it is stored, and a form
 * posted the moment it arrives (a password manager's auto-submit, a quick screen-reader user)
 * would be refused. Saving first closes that gap; an existing token costs no write.
 */
export function storedCsrfToken(req: Request): Promise<string> {
  const existing = csrf.getTokenFromState(req);
  if (typeof existing === 'string') return Promise.resolve(existing);
  const token = csrf.generateToken(req);
  return new Promise((resolve, reject) => req.session.save((error) => (error ? reject(error) : resolve(token))));
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
