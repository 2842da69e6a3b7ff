import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { randomBytes } from 'node:crypto';
import { fixedHeaders } from '../src/fixed-headers.js';

const GOOGLE_FONTS = /<link rel="stylesheet" href="https:\/\/fonts\.googleapis\.com\/css\?family=Roboto:300,400,500,700" type="text\/css">/g;
const OWN_FONTS = ['300', '400', '500', '700'].map((weight) => `<link rel="stylesheet" href="/admin-assets/roboto/${weight}.css" type="text/css">`).join('');

/** AdminJS's own scripts, styles and icons: the same files for everyone, no personal data in them. */
const ADMINJS_ASSETS = '/frontend/assets/';

/**
 * Back-office headers: every answer holds personal data or leads to it, so nothing is cached (but
 * AdminJS's own files: kept, and asked after each time — «no-cache» — so a browser never runs an
 * old copy after an upgrade, yet gets a 304 instead of 3 MB of scripts to fetch and compile again
 * on every page it loads); and a
 * CSP whose scripts are this app's files and the inline scripts of AdminJS's own templates, by a
 * nonce made for each answer (rewriteAdminPages puts it on them). Text typed by anyone, shown in
 * the back-office, can thus never run as script. Styles keep 'unsafe-inline': AdminJS's
 * styled-components insert <style> elements and React sets style attributes at run time, with no
 * way to give them a nonce.
 */
export function adminHeaders(req: Request, res: Response, next: NextFunction) {
  res.setHeader('Cache-Control', req.path.startsWith(ADMINJS_ASSETS) ? 'no-cache' : 'no-store');
  if (isApiCall(req)) return apiHeaders(req, res, next);
  res.locals.cspNonce = randomBytes(18).toString('base64');
  adminHelmet(req, res, next);
}

/**
 * The back-office's API (what its pages fetch: JSON, never a page) runs no script of its own: its
 * answers get the same headers without a nonce, worked out once, not a nonce and a CSP made for
 * each of the list's, search's and form's many calls.
 */
function isApiCall(req: Request): boolean {
  return req.path.startsWith('/api/');
}

const helmetOptions = (scriptSrc: Array<string | ((req: unknown, res: unknown) => string)>): Parameters<typeof helmet>[0] => ({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc,
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      baseUri: ["'self'"],
      objectSrc: ["'none'"],
    },
  },
  referrerPolicy: { policy: 'same-origin' },
  crossOriginEmbedderPolicy: false,
});

const adminHelmet = helmet(helmetOptions(["'self'", (_req, res) => `'nonce-${(res as Response).locals.cspNonce}'`]));
const apiHeaders = fixedHeaders(helmet(helmetOptions(["'self'"])));

/**
 * AdminJS's pages as it renders them, with two changes: its hard-coded Google Fonts stylesheet
 * becomes the same Roboto served from this app, and its own inline scripts get this answer's nonce.
 */
export function rewriteAdminPages(req: Request, res: Response, next: NextFunction) {
  if (isApiCall(req)) return next();
  const send = res.send.bind(res);
  res.send = ((body: unknown) => {
    if (typeof body !== 'string' || !/html/.test(String(res.get('Content-Type') ?? 'text/html'))) return send(body);
    return send(withScriptNonce(withInertState(body.replace(GOOGLE_FONTS, OWN_FONTS)), String(res.locals.cspNonce)));
  }) as typeof res.send;
  next();
}

/**
 * The inline scripts of AdminJS's layout and login templates (adminjs/lib/frontend/layout-template.js
 * and login-template.js), and no others: the state script opens the page and is followed by data
 * (so its first occurrence is AdminJS's own), the start-up scripts come after all data (so their
 * last occurrence is). A `<script>` that data smuggled into the page gets no nonce and does not run.
 */
const LEADING_SCRIPT = /<script>(?=\s*window\.REDUX_STATE = )/;
const TRAILING_SCRIPTS = [/<script>(?=\s*var app = document\.getElementById\('app'\);)/g, /<script>(?=\s*try \{\s*window\.__APP_STATE__ = )/g];

/**
 * AdminJS writes its state (the staff member's name among it) into that first script with
 * JSON.stringify, which leaves a `</script>` in the data as it is: it would end the script there.
 * Every `<` between the script's start and its real end (after `window.AdminJS = …`, which follows
 * all data) becomes `\u003c`, the same character to JavaScript; JSON has `<` only inside strings.
 */
const STATE_END = 'window.AdminJS = { Components: {} };';

function withInertState(html: string): string {
  const start = LEADING_SCRIPT.exec(html);
  const end = html.lastIndexOf(STATE_END);
  if (!start || end < start.index) return html;
  const from = start.index + '<script>'.length;
  return html.slice(0, from) + html.slice(from, end).replaceAll('<', '\\u003c') + html.slice(end);
}

function withScriptNonce(html: string, nonce: string): string {
  const positions = [LEADING_SCRIPT.exec(html)?.index, ...TRAILING_SCRIPTS.map((pattern) => [...html.matchAll(pattern)].at(-1)?.index)];
  let result = html;
  for (const at of positions.filter((index): index is number => index !== undefined).sort((a, b) => b - a)) {
    result = `${result.slice(0, at)}<script nonce="${nonce}">${result.slice(at + '<script>'.length)}`;
  }
  return result;
}
