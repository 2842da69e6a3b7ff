import express, { Router, type Request } from 'express';
import type AdminJSType from 'adminjs';
import type { Config } from '../src/config.js';
import type { ServiceDeps } from '../src/services.js';
import { authenticateStaff, type StaffLoginOutcome } from '../src/staff/authenticate.js';
import { refuseUncleanForm } from '../src/input-boundary.js';
import { staffCookieName, staffCookieOptions } from './staff-session.js';

declare module 'express-session' {
  interface SessionData {
    adminUser?: unknown;
  }
}

/**
 * Staff login and logout, in place of @adminjs/express's: the same hashing and database-kept
 * throttling as members, a new session id at login, and logout only by POST.
 */
export function staffLoginRoutes({ admin, services, config }: { admin: AdminJSType; services: ServiceDeps; config: Config }): Router {
  const router = Router();
  // The login form only, small and checked like every form (src/input-boundary.ts); any other body is no body.
  const form = express.urlencoded({ extended: false, limit: '10kb', parameterLimit: 10, verify: refuseUncleanForm });

  router.post('/login', form, async (req, res, next) => {
    try {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const email = typeof body.email === 'string' ? body.email : '';
      const password = typeof body.password === 'string' ? body.password : '';
      const outcome = await authenticateStaff(services, { email, password, clientKey: req.ip ?? 'unknown' });
      if (outcome.kind !== 'ok') {
        const page = await admin.renderLogin({ action: admin.options.loginPath, errorMessage: loginErrorMessage(outcome) });
        return res.status(outcome.kind === 'locked' ? 429 : 401).send(page);
      }
      await regenerate(req);
      req.session.adminUser = outcome.staff;
      req.session.staffLoggedInAt = Date.now();
      req.session.save((error) => (error ? next(error) : res.redirect(303, admin.options.rootPath)));
    } catch (error) {
      next(error);
    }
  });

  // AdminJS's logout button is a link: it leads to this small page, whose button logs out by POST.
  router.get('/logout', (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.send(`<!DOCTYPE html><html lang="fi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Kirjaudu ulos – ylläpito</title>
<style>body{font-family:Roboto,Arial,sans-serif;margin:3rem auto;max-width:30rem;padding:0 1rem;font-size:1.125rem;line-height:1.5}button{font:inherit;padding:.6rem 1.2rem;background:#0b4f9c;color:#fff;border:0;border-radius:4px;cursor:pointer}button:focus-visible,a:focus-visible{outline:3px solid #ffdd00;box-shadow:0 0 0 6px #0b0c0c}a{color:#0b4f9c}</style></head>
<body><main><h1>Kirjaudu ulos</h1><p>Haluatko kirjautua ulos ylläpidosta?</p>
<form method="post" action="${admin.options.logoutPath}"><button type="submit">Kirjaudu ulos</button></form>
<p><a href="${admin.options.rootPath}">Palaa ylläpitoon</a></p></main></body></html>`);
  });

  router.post('/logout', (req, res) => {
    req.session.destroy(() => {
      res.clearCookie(staffCookieName(config), staffCookieOptions(config));
      res.redirect(303, admin.options.loginPath);
    });
  });
  return router;
}

/** A blocked address gets its own message: the staff member's email address is not to blame. */
function loginErrorMessage(outcome: Exclude<StaffLoginOutcome, { kind: 'ok' }>): string {
  if (outcome.kind === 'invalid') return 'invalidCredentials';
  return outcome.cause === 'client' ? 'tooManyFromNetwork' : 'tooManyRequests';
}

function regenerate(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.regenerate((error) => (error ? reject(error) : resolve())));
}
