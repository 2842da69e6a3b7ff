import type { NextFunction, Request, Response } from 'express';
import { languageOf } from '../src/i18n/language-middleware.js';
import { staffText } from './staff-language.js';

/**
 * CSRF defence for the back-office, on top of the SameSite=Strict cookie: anything that changes
 * data or runs an action must come from the back-office's own pages. Browsers say where a request
 * comes from in Sec-Fetch-Site (and Origin on POST); a request that says nothing is refused too.
 * AdminJS calls custom actions with GET, so API GETs other than reads count as actions.
 */
const READ_ONLY_API = /^\/api\/(resources\/[^/]+\/(search|actions\/list)|resources\/[^/]+\/records\/[^/]+\/show|dashboard|pages\/[^/]+)(\/|$)/i;

export function sameOriginOnly(publicOrigin: string) {
  return (req: Request, res: Response, next: NextFunction) => {
    const changing = req.method !== 'GET' && req.method !== 'HEAD';
    // Routing ignores case: /API/… is the API too.
    const action = /^\/api\//i.test(req.path) && !READ_ONLY_API.test(req.path);
    if (!changing && !action) return next();
    const site = req.get('sec-fetch-site');
    const origin = req.get('origin');
    const sameOrigin = site === 'same-origin' || (site === undefined && origin !== undefined && (origin === publicOrigin || origin === ownOrigin(req)));
    if (sameOrigin && (origin === undefined || origin === publicOrigin || origin === ownOrigin(req))) return next();
    // In the person's language (the `kieli` cookie): a staff member who meets this should understand why.
    const language = languageOf(req);
    res.status(403).type('text/plain').set('Content-Language', language).send(staffText(language, 'messages.originRefused'));
  };
}

function ownOrigin(req: Request): string {
  return `${req.protocol}://${req.get('host')}`;
}
