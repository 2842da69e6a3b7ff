import { Router } from 'express';
import { authenticateMember } from '../passwords/login.js';
import { findMemberById } from '../members/register.js';
import type { ServiceDeps } from '../services.js';
import { endSession, memberSessionCookieName, startMemberSession } from '../sessions/member-session.js';
import { clientKey, field, minutesUntil, renderWithErrors, t, type FieldError } from './forms.js';
import { noStore } from './security.js';

/** Login with member number and password, the member's own page, and logout. */
export function loginRoutes(deps: ServiceDeps): Router {
  const router = Router();

  router.get('/kirjaudu', (req, res) => {
    if (req.session.memberId) return res.redirect(303, '/omat-tiedot');
    renderWithErrors(res, 'pages/login', 200, [], { memberNumber: '' });
  });

  router.post('/kirjaudu', async (req, res) => {
    const memberNumber = field(req, 'memberNumber').trim();
    const password = field(req, 'password');
    const errors: FieldError[] = [];
    if (!memberNumber) errors.push({ field: 'member-number', text: t(res)('login.errors.memberNumberMissing') });
    if (!password) errors.push({ field: 'password', text: t(res)('login.errors.passwordMissing') });
    if (errors.length > 0) return renderWithErrors(res, 'pages/login', 400, errors, { memberNumber });

    const outcome = await authenticateMember(deps, { memberNumber, password, clientKey: clientKey(req) });
    if (outcome.kind === 'ok') {
      await startMemberSession(req, outcome.member.id);
      return res.redirect(303, '/omat-tiedot');
    }
    // One message for an unknown number and a wrong password; the password field is never refilled.
    const text =
      outcome.kind === 'locked'
        ? t(res)('login.errors.locked', { count: minutesUntil(outcome.retryAfterMs) })
        : t(res)('login.errors.invalid');
    renderWithErrors(res, 'pages/login', outcome.kind === 'locked' ? 429 : 401, [{ field: 'member-number', text }], { memberNumber });
  });

  router.get('/omat-tiedot', noStore, async (req, res) => {
    const member = req.session.memberId ? await findMemberById(deps.db, req.session.memberId) : undefined;
    if (!member || member.membershipStatus !== 'active') {
      if (req.session.memberId) await endSession(req);
      return res.redirect(303, '/kirjaudu');
    }
    res.render('pages/account', { member });
  });

  router.post('/kirjaudu-ulos', async (req, res) => {
    await endSession(req);
    res.clearCookie(memberSessionCookieName(deps.config), { path: '/' });
    res.render('pages/logged-out');
  });

  return router;
}
