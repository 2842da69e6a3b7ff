import { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { ServiceDeps } from '../services.js';
import { absoluteTimeout, loggedInMemberId } from '../sessions/member-session.js';
import { activateRoutes } from './activate.js';
import { devMailboxRoutes } from './dev-mailbox.js';
import { loginRoutes } from './login.js';
import { orderRoutes } from './order.js';
import { infoPages } from './pages.js';
import { resetRoutes } from './reset.js';
import { portalCsrf, portalHeaders } from './security.js';

/**
 * The member portal. Every POST carries a CSRF token (security.ts), except «Vaihda salasana», which
 * the link token in its own address protects (see reset.ts); every page with a form gets the
 * token to put in it (the logout button in the header included).
 */
export function portalRoutes(deps: ServiceDeps, options: { sessions: RequestHandler; devMailbox: boolean }): Router {
  const router = Router();
  router.use(portalHeaders);
  router.use(options.sessions, absoluteTimeout);
  // Form bodies were read and checked at the input boundary (src/input-boundary.ts); cookies are read where the CSRF defence needs them (security.ts).
  const csrf = portalCsrf(deps.config);
  router.use(pageRendering(csrf.tokenFor, options.devMailbox));
  // The pages are routes of this one router rather than routers of their own: a router inside a
  // router is a layer every request passes through, at a cost on every page.
  // Before the CSRF check: the set-password form must keep working for as long as its
  // link is valid, also after the 30-minute session has expired (WCAG 2.2.1).
  resetRoutes(router, deps);
  router.use(csrf.protection);
  infoPages(router);
  loginRoutes(router, deps);
  orderRoutes(router, deps);
  activateRoutes(router, deps);
  if (options.devMailbox) devMailboxRoutes(router, deps.db);
  return router;
}

type RenderCallback = (error: Error, html: string) => void;

/**
 * What every portal page shows beside its own data. The CSRF token is decided at render time: a
 * handler may have just logged the member in or out (and so changed what the token is bound to).
 * A token only where a form is shown.
 */
function pageRendering(tokenFor: (req: Request, res: Response) => string, devMailbox: boolean) {
  // One function for every request (it finds the request as res.req), not a new closure per request.
  function renderWithToken(this: Response, view: string, locals?: object | RenderCallback, callback?: RenderCallback) {
    const [options, done] = typeof locals === 'function' ? [undefined, locals as RenderCallback] : [locals, callback];
    this.locals.member = loggedInMemberId(this.req) !== undefined;
    this.locals.csrfToken = pageHasForm(view, this.locals.member as boolean) && !this.headersSent ? tokenFor(this.req, this) : '';
    const render = (Object.getPrototypeOf(this) as Response).render as (view: string, locals?: object, callback?: RenderCallback) => void;
    render.call(this, view, options, done);
  }
  return (_req: Request, res: Response, next: NextFunction) => {
    res.render = renderWithToken as typeof res.render;
    res.locals.devMailbox = devMailbox;
    next();
  };
}

// «PALAUTA SALASANA» posts without the session token; its page needs one only for a logged-in member's logout button.
const FORM_PAGES = new Set(['pages/login', 'pages/order', 'pages/link-problem', 'pages/activate']);

function pageHasForm(view: string, loggedIn: boolean): boolean {
  return loggedIn || FORM_PAGES.has(view);
}
