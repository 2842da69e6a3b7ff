import express, { Router } from 'express';
import type AdminJSType from 'adminjs';
import type { Config } from '../src/config.js';
import type { ServiceDeps } from '../src/services.js';
import { authenticateStaff, type StaffLoginOutcome } from '../src/staff/authenticate.js';
import { refuseUncleanForm } from '../src/input-boundary.js';
import { SECOND_FACTOR_PATHS, secondFactorRoutes } from './second-factor-routes.js';
import { staffCookieName, staffCookieOptions } from './staff-session.js';
import { signIn, startPendingSignIn } from './staff-sign-in.js';

/**
 * Staff login and logout, in place of @adminjs/express's: the same hashing and database-kept
 * throttling as members, then the second factor when the staff member has one (or must enrol one),
 * a new session id at each step, and logout only by POST.
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
      if (outcome.secondFactor === 'none') {
        await signIn(req, outcome.staff, outcome.audit);
        return res.redirect(303, admin.options.rootPath);
      }
      // Not logged in yet: the session only remembers whose code (or enrolment) it waits for.
      await startPendingSignIn(req, outcome.staff.id, outcome.secondFactor, outcome.audit);
      res.redirect(303, `${admin.options.rootPath}${outcome.secondFactor === 'code' ? SECOND_FACTOR_PATHS.code : SECOND_FACTOR_PATHS.enrol}`);
    } catch (error) {
      next(error);
    }
  });
  router.use(secondFactorRoutes({ services, rootPath: admin.options.rootPath, loginPath: admin.options.loginPath }));

  // AdminJS's logout button is a link: it leads to this small page, whose button logs out by POST.
  router.get('/logout', (_req, res) => {
    res.render('pages/staff/logout', { logoutPath: admin.options.logoutPath, rootPath: admin.options.rootPath });
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
