import cookieParser from 'cookie-parser';
import express, { Router, type NextFunction, type Request, type Response } from 'express';
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
export function portalRoutes(deps: ServiceDeps, options: { sessions: express.RequestHandler; devMailbox: boolean }): Router {
  const router = Router();
  router.use(portalHeaders);
  router.use(options.sessions, absoluteTimeout);
  router.use(express.urlencoded({ extended: false, limit: '20kb', parameterLimit: 20 }));
  router.use(cookieParser());
  const csrf = portalCsrf(deps.config);
  router.use(tokenBeforeRender(csrf.tokenFor));
  router.use((_req, res, next) => {
    res.locals.devMailbox = options.devMailbox;
    next();
  });
  // Before the CSRF check: the set-password form must keep working for as long as its
  // link is valid, also after the 30-minute session has expired (WCAG 2.2.1).
  router.use(resetRoutes(deps));
  router.use(csrf.protection);
  router.use(infoPages());
  router.use(loginRoutes(deps));
  router.use(orderRoutes(deps));
  router.use(activateRoutes(deps));
  if (options.devMailbox) router.use(devMailboxRoutes(deps.db));
  return router;
}

type RenderCallback = (error: Error, html: string) => void;

/**
 * Decided at render time: a handler may have just logged the member in or out (and so changed
 * what the token is bound to). A CSRF token only where a form is shown.
 */
function tokenBeforeRender(tokenFor: (req: Request, res: Response) => string) {
  return (req: Request, res: Response, next: NextFunction) => {
    const render = res.render.bind(res) as (view: string, locals?: object, callback?: RenderCallback) => void;
    res.render = ((view: string, locals?: object | RenderCallback, callback?: RenderCallback) => {
      const [options, done] = typeof locals === 'function' ? [undefined, locals as RenderCallback] : [locals, callback];
      res.locals.member = loggedInMemberId(req) !== undefined;
      res.locals.csrfToken = pageHasForm(view, res.locals.member) && !res.headersSent ? tokenFor(req, res) : '';
      render(view, options, done);
    }) as typeof res.render;
    next();
  };
}

// «PALAUTA SALASANA» posts without the session token; its page needs one only for a logged-in member's logout button.
const FORM_PAGES = new Set(['pages/login', 'pages/order', 'pages/link-problem', 'pages/activate']);

function pageHasForm(view: string, loggedIn: boolean): boolean {
  return loggedIn || FORM_PAGES.has(view);
}
