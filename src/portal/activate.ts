import type { Router, Response } from 'express';
import { useActivationCode, type ActivationOutcome } from '../passwords/use-activation-code.js';
import type { ServiceDeps } from '../services.js';
import { clientKey, field, minutesUntil, renderWithErrors, t, type FieldError } from './forms.js';
import { linkPageHeaders } from './security.js';

const VIEW = 'pages/activate';

/**
 * «Ota asiointipalvelu käyttöön»: member number and the code of a printed letter (issue #14). The
 * letter's QR code opens this page with the number filled in; opening it uses nothing up. A right
 * code leads to «PALAUTA SALASANA» for that member, as a mailed link would.
 */
export function activateRoutes(router: Router, deps: ServiceDeps): void {

  router.get('/aktivoi', (req, res) => {
    const asked = typeof req.query.jasennumero === 'string' ? req.query.jasennumero.trim() : '';
    renderWithErrors(res, VIEW, 200, [], { memberNumber: /^\d{1,12}$/.test(asked) ? asked : '', code: '' });
  });

  // The answer to a right code carries a set-password token in its Location: never cached, never a referrer.
  router.post('/aktivoi', linkPageHeaders, async (req, res) => {
    const memberNumber = field(req, 'memberNumber').trim();
    const code = field(req, 'code').trim();
    const errors: FieldError[] = [];
    if (!memberNumber) errors.push({ field: 'member-number', text: t(res)('activate.errors.memberNumberMissing') });
    if (!code) errors.push({ field: 'code', text: t(res)('activate.errors.codeMissing') });
    if (errors.length > 0) return renderWithErrors(res, VIEW, 400, errors, { memberNumber, code });

    const outcome = await useActivationCode(deps, { memberNumber, code, clientKey: clientKey(req) });
    if (outcome.kind === 'ok') return res.redirect(303, `/palauta-salasana/${outcome.token}`);
    // The code field is emptied: a wrong code is typed again from the letter, a dead one is no use.
    renderWithErrors(res, VIEW, statusOf(outcome), [{ field: 'code', text: failureText(res, outcome) }], { memberNumber, code: '', dead: outcome.kind === 'dead' });
  });

}

function statusOf(outcome: Exclude<ActivationOutcome, { kind: 'ok' }>): number {
  return outcome.kind === 'invalid' ? 401 : outcome.kind === 'locked' ? 429 : 410;
}

/** One message for a wrong code and an unknown number; a code that was right once says why it no longer works. */
function failureText(res: Response, outcome: Exclude<ActivationOutcome, { kind: 'ok' }>): string {
  if (outcome.kind === 'invalid') return t(res)('activate.errors.invalid');
  if (outcome.kind === 'dead') return t(res)(`activate.errors.${outcome.why}`);
  const key = outcome.cause === 'client' ? 'activate.errors.tooManyFromNetwork' : 'activate.errors.locked';
  return t(res)(key, { count: minutesUntil(outcome.retryAfterMs) });
}
