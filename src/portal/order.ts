import type { Router, NextFunction, Request, Response } from 'express';
import { isLanguage } from '../i18n/index.js';
import { looksLikeEmail } from '../members/email.js';
import { fileNotFoundCase } from '../cases/file-case.js';
import { requestSetPasswordLink } from '../passwords/order-link.js';
import { consumeOneOrWait } from '../passwords/throttles.js';
import type { ServiceDeps } from '../services.js';
import { clientKey, field, minutesUntil, renderWithErrors, t, type FieldError } from './forms.js';

/** «TILAA UUSI SALASANA»: the order form, and its three answers (sent, not found, too many). */
export function orderRoutes(router: Router, deps: ServiceDeps): void {
  const sender = deps.config.mailFromAddress;

  router.get('/tilaa-salasana', (_req, res) => {
    renderWithErrors(res, 'pages/order', 200, [], { email: '', state: 'form' });
  });

  // The per-client limit is counted by the order itself, in the statement that looks the address up.
  router.post('/tilaa-salasana', validEmail, async (req, res) => {
    const email = field(req, 'email').trim();
    const language = isLanguage(res.locals.lang) ? res.locals.lang : 'fi';
    const outcome = await requestSetPasswordLink(deps, { email, language, clientKey: clientKey(req) });
    if (outcome.kind === 'tooManyFromClient') return renderTooManyFromClient(req, res, outcome.retryAfterMs);
    if (outcome.kind === 'queued') return res.render('pages/order', { state: 'sent', sender, email: '', errors: [] });
    if (outcome.kind === 'notFound') return renderWithErrors(res, 'pages/order', 200, [], { state: 'notFound', email, typedEmail: email, caseForm: { memberNumber: '', name: '', emailToAdd: email } });
    renderWithErrors(res, 'pages/order', 429, [], { state: 'tooManyForMember', email, minutes: minutesUntil(outcome.retryAfterMs) });
  });

  // The short form on the «Käyttäjää ei löydy» page: a case for member services and the association.
  router.post('/tilaa-salasana/pyynto', limitPerClient(deps), async (req, res) => {
    const caseForm = { memberNumber: field(req, 'memberNumber').trim(), name: field(req, 'name').trim(), emailToAdd: field(req, 'emailToAdd').trim() };
    const errors: FieldError[] = [];
    if (caseForm.memberNumber && !/^\d{1,12}$/.test(caseForm.memberNumber)) errors.push({ field: 'case-member-number', text: t(res)('order.caseErrors.memberNumberInvalid') });
    if (!caseForm.name) errors.push({ field: 'case-name', text: t(res)('order.caseErrors.nameMissing') });
    if (!caseForm.emailToAdd) errors.push({ field: 'case-email', text: t(res)('order.caseErrors.emailMissing') });
    else if (!looksLikeEmail(caseForm.emailToAdd)) errors.push({ field: 'case-email', text: t(res)('order.caseErrors.emailInvalid') });
    if (errors.length > 0) {
      return renderWithErrors(res, 'pages/order', 400, errors, { state: 'notFound', email: caseForm.emailToAdd, typedEmail: caseForm.emailToAdd, caseForm });
    }
    await fileNotFoundCase(deps.db, caseForm);
    res.render('pages/order', { state: 'caseSent', email: '', errors: [] });
  });

}

function validEmail(req: Request, res: Response, next: NextFunction) {
  const email = field(req, 'email').trim();
  const problem = !email ? 'order.errors.emailMissing' : !looksLikeEmail(email) ? 'order.errors.emailInvalid' : undefined;
  if (!problem) return next();
  renderWithErrors(res, 'pages/order', 400, [{ field: 'email', text: t(res)(problem) }], { email, state: 'form' });
}

/** Orders per client address: visible on the route line, counted in the database. */
function limitPerClient(deps: ServiceDeps) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const wait = await consumeOneOrWait(deps.db, deps.throttles.ordersPerClient, clientKey(req));
    if (wait === 0) return next();
    renderTooManyFromClient(req, res, wait);
  };
}

function renderTooManyFromClient(req: Request, res: Response, waitMs: number) {
  const text = t(res)('order.errors.tooManyFromClient', { count: minutesUntil(waitMs) });
  renderWithErrors(res, 'pages/order', 429, [{ field: 'email', text }], { email: field(req, 'email').trim(), state: 'form' });
}
