import type { Router, Response } from 'express';
import { writeAudit } from '../audit/audit-log.js';
import { authenticateMember, type LoginOutcome } from '../passwords/login.js';
import { rememberDevice, trustedDeviceFor } from '../passwords/trusted-device.js';
import { findMemberById } from '../members/register.js';
import type { ServiceDeps } from '../services.js';
import { endSession, loggedInMemberId, memberSessionCookieName, startMemberSession } from '../sessions/member-session.js';
import { clientKey, field, minutesUntil, renderWithErrors, t, type FieldError } from './forms.js';
import { noStore } from './security.js';

/** Login with member number and password, the member's own page, and logout. */
export function loginRoutes(router: Router, deps: ServiceDeps): void {

  router.get('/kirjaudu', (req, res) => {
    if (loggedInMemberId(req) !== undefined) return res.redirect(303, '/omat-tiedot');
    renderWithErrors(res, 'pages/login', 200, [], { memberNumber: '' });
  });

  router.post('/kirjaudu', async (req, res) => {
    const memberNumber = field(req, 'memberNumber').trim();
    const password = field(req, 'password');
    const errors: FieldError[] = [];
    if (!memberNumber) errors.push({ field: 'member-number', text: t(res)('login.errors.memberNumberMissing') });
    if (!password) errors.push({ field: 'password', text: t(res)('login.errors.passwordMissing') });
    if (errors.length > 0) return renderWithErrors(res, 'pages/login', 400, errors, { memberNumber });

    const deviceId = trustedDeviceFor(req, deps.config, memberNumber);
    const outcome = await authenticateMember(deps, { memberNumber, password, clientKey: clientKey(req), deviceId });
    if (outcome.kind === 'ok') {
      await startMemberSession(req, outcome.member.id, outcome.audit);
      rememberDevice(req, res, deps.config, outcome.member.memberNumber);
      return res.redirect(303, '/omat-tiedot');
    }
    // The password field is never refilled.
    renderWithErrors(res, 'pages/login', outcome.kind === 'locked' ? 429 : 401, [{ field: 'member-number', text: failureText(res, outcome) }], { memberNumber });
  });

  router.get('/omat-tiedot', noStore, async (req, res) => {
    const memberId = loggedInMemberId(req);
    const member = memberId !== undefined ? await findMemberById(deps.db, memberId) : undefined;
    if (!member || member.membershipStatus !== 'active') {
      if (memberId !== undefined) await endSession(req);
      return res.redirect(303, '/kirjaudu');
    }
    res.render('pages/account', { member });
  });

  router.post('/kirjaudu-ulos', async (req, res) => {
    const memberId = req.session.memberId;
    await endSession(req);
    if (memberId !== undefined) await writeAudit(deps.db, { actorType: 'member', actorId: memberId, action: 'logout', memberId });
    // Cleared with the attributes it was set with: a __Host- cookie is removed only by a Secure Set-Cookie.
    res.clearCookie(memberSessionCookieName(deps.config), { path: '/', httpOnly: true, sameSite: 'lax', secure: deps.config.secureCookies });
    res.render('pages/logged-out');
  });

}

/**
 * One message for an unknown number and a wrong password. A blocked address gets its own message:
 * the number is not to blame, and ordering a new password would not help.
 */
function failureText(res: Response, outcome: Exclude<LoginOutcome, { kind: 'ok' }>): string {
  if (outcome.kind === 'invalid') return t(res)('login.errors.invalid');
  const key = outcome.cause === 'client' ? 'login.errors.tooManyFromNetwork' : 'login.errors.locked';
  return t(res)(key, { count: minutesUntil(outcome.retryAfterMs) });
}
