import express, { Router } from 'express';
import type { ServiceDeps } from '../services.js';
import { absoluteTimeout } from '../sessions/member-session.js';
import { devMailboxRoutes } from './dev-mailbox.js';
import { loginRoutes } from './login.js';
import { orderRoutes } from './order.js';
import { infoPages } from './pages.js';
import { resetRoutes } from './reset.js';
import { csrf, portalHeaders } from './security.js';

/**
 * The member portal. Every POST carries the session's CSRF token; every page gets the token to
 * put in its forms (the logout button in the header included).
 */
export function portalRoutes(deps: ServiceDeps, options: { sessions: express.RequestHandler; devMailbox: boolean }): Router {
  const router = Router();
  router.use(portalHeaders);
  router.use(options.sessions, absoluteTimeout);
  router.use(express.urlencoded({ extended: false, limit: '20kb', parameterLimit: 20 }));
  router.use(csrf.csrfSynchronisedProtection);
  router.use((req, res, next) => {
    // Decided at render time: a handler may have just logged the member in or out.
    // A CSRF token only where a form is shown: no session row for a visitor who merely reads a page.
    const render = res.render.bind(res);
    res.render = ((view: string, locals?: object, callback?: never) => {
      res.locals.member = req.session?.memberId !== undefined;
      res.locals.csrfToken = req.session && pageHasForm(view, res.locals.member) ? req.csrfToken!() : '';
      return render(view, locals, callback);
    }) as typeof res.render;
    next();
  });

  router.use((_req, res, next) => {
    res.locals.devMailbox = options.devMailbox;
    next();
  });
  router.use(infoPages());
  router.use(loginRoutes(deps));
  router.use(orderRoutes(deps));
  router.use(resetRoutes(deps));
  if (options.devMailbox) router.use(devMailboxRoutes(deps.db));
  return router;
}

const FORM_PAGES = new Set(['pages/login', 'pages/order', 'pages/reset', 'pages/link-problem']);

function pageHasForm(view: string, loggedIn: boolean): boolean {
  return loggedIn || FORM_PAGES.has(view);
}

