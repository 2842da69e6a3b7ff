import express, { Router } from 'express';
import type { Config } from '../src/config.js';
import { isLanguage } from '../src/i18n/index.js';
import { refuseUncleanForm } from '../src/input-boundary.js';
import { looksLikeEmail } from '../src/members/email.js';
import { clientKey, field, minutesUntil, renderWithErrors, t } from '../src/portal/forms.js';
import type { ServiceDeps } from '../src/services.js';
import { orderStaffPasswordLink } from '../src/staff/staff-recovery.js';

const VIEW = 'pages/staff/forgot-password';

/**
 * «Unohditko salasanan?» for staff, at /admin/unohtunut-salasana: a page of the portal's kind
 * (plain HTML, the person's language, no script needed), since whoever uses it is not logged in.
 * The back-office's origin check (admin/origin-check.ts) stands before the POST as before every
 * back-office form; the answer is the same for every address (src/staff/staff-recovery.ts).
 */
export function staffRecoveryRoutes(deps: ServiceDeps, config: Config): Router {
  const router = Router();
  // This form only, small and checked like every form; any other body is no body.
  const form = express.urlencoded({ extended: false, limit: '10kb', parameterLimit: 10, verify: refuseUncleanForm });
  const devMailbox = !config.isProduction && !config.smtpUrl;

  router.get('/unohtunut-salasana', (_req, res) => {
    renderWithErrors(res, VIEW, 200, [], { state: 'form', email: '' });
  });

  router.post('/unohtunut-salasana', form, async (req, res, next) => {
    try {
      const email = field(req, 'email').trim();
      const problem = !email ? 'staffRecovery.errors.emailMissing' : !looksLikeEmail(email) ? 'staffRecovery.errors.emailInvalid' : undefined;
      if (problem) return renderWithErrors(res, VIEW, 400, [{ field: 'email', text: t(res)(problem) }], { state: 'form', email });
      const language = isLanguage(res.locals.lang) ? res.locals.lang : 'fi';
      const outcome = await orderStaffPasswordLink(deps, { email, clientKey: clientKey(req), language });
      if (outcome.kind === 'tooManyFromClient') {
        const text = t(res)('order.errors.tooManyFromClient', { count: minutesUntil(outcome.retryAfterMs) });
        return renderWithErrors(res, VIEW, 429, [{ field: 'email', text }], { state: 'form', email });
      }
      res.setHeader('Cache-Control', 'no-store');
      res.render(VIEW, { state: 'sent', typedEmail: email, devMailbox, errors: [] });
    } catch (error) {
      next(error);
    }
  });
  return router;
}
