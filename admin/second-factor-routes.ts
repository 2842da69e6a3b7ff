import express, { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import QRCode from 'qrcode';
import { refuseUncleanForm } from '../src/input-boundary.js';
import type { Translate } from '../src/i18n/index.js';
import { field, minutesUntil, renderWithErrors, t } from '../src/portal/forms.js';
import type { ServiceDeps } from '../src/services.js';
import { asPrincipal, findActiveStaff, type StaffPrincipal } from '../src/staff/principal.js';
import { beginEnrolment, confirmEnrolment, useRecoveryCode, verifySecondFactor, type CodeRefused } from '../src/staff/second-factor.js';
import { pendingStaff, signIn } from './staff-sign-in.js';

/** Where the second factor's pages are, under /admin; auth.ts sends the browser here after the password. */
export const SECOND_FACTOR_PATHS = { code: '/kaksivaiheinen', recovery: '/kaksivaiheinen/varakoodi', enrol: '/kaksivaiheinen/kayttoonotto' } as const;

const VIEWS = { code: 'pages/staff/second-factor', recovery: 'pages/staff/recovery-code', enrol: 'pages/staff/enrol', codes: 'pages/staff/recovery-codes', recoveryUsed: 'pages/staff/recovery-used' };

/**
 * The second factor's pages: plain server-rendered forms in the person's language, like the portal's.
 * The services (src/staff/second-factor.ts) decide; these only ask and answer. Each form posts
 * here, behind the back-office's origin check, and is read with a small parser of its own: the
 * waiting session is not logged in, so the back-office's own body parsing does not read it.
 */
export function secondFactorRoutes({ services, rootPath, loginPath }: { services: ServiceDeps; rootPath: string; loginPath: string }): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '2kb', parameterLimit: 5, verify: refuseUncleanForm });
  const { db } = services;
  const handle = (fn: (req: Request, res: Response) => Promise<unknown>): RequestHandler => (req, res, next: NextFunction) => fn(req, res).catch(next);
  // Nothing waits for a code here: to the login, or, for someone already logged in, to the back-office.
  const toLogin = (req: Request, res: Response) => res.redirect(303, asPrincipal(req.session.adminUser) ? rootPath : loginPath);

  // The app's code and a recovery code: two forms for the same waiting session.
  const formForWaiting = (view: string) => handle(async (req, res) => {
    const staff = await pendingStaff(req, db, 'code');
    return staff ? renderWithErrors(res, view, 200, [], { email: staff.email }) : toLogin(req, res);
  });
  router.get(SECOND_FACTOR_PATHS.code, formForWaiting(VIEWS.code));
  router.get(SECOND_FACTOR_PATHS.recovery, formForWaiting(VIEWS.recovery));

  router.post(SECOND_FACTOR_PATHS.code, form, handle(async (req, res) => {
    const staff = await pendingStaff(req, db, 'code');
    if (!staff) return toLogin(req, res);
    const outcome = await verifySecondFactor(services, staff.id, field(req, 'code'));
    if (outcome.kind === 'ok') return signIn(req, staff).then(() => res.redirect(303, rootPath));
    if (outcome.kind === 'noFactor') return toLogin(req, res); // reset meanwhile: the login starts over
    refused(res, VIEWS.code, outcome, 'code', { email: staff.email });
  }));

  router.post(SECOND_FACTOR_PATHS.recovery, form, handle(async (req, res) => {
    const staff = await pendingStaff(req, db, 'code');
    if (!staff) return toLogin(req, res);
    const outcome = await useRecoveryCode(services, staff.id, field(req, 'recoveryCode'));
    if (outcome.kind === 'ok') {
      await signIn(req, staff);
      return res.render(VIEWS.recoveryUsed, { codesLeft: outcome.codesLeft, rootPath });
    }
    if (outcome.kind === 'noFactor') return toLogin(req, res);
    refused(res, VIEWS.recovery, outcome, 'recovery-code', { email: staff.email });
  }));

  router.get(SECOND_FACTOR_PATHS.enrol, handle(async (req, res) => {
    const enrolling = await enrollingStaff(req, services);
    if (!enrolling) return toLogin(req, res);
    const page = await enrolmentPage(services, enrolling.staff, enrolling.pending);
    return page ? renderWithErrors(res, VIEWS.enrol, 200, [], page) : res.redirect(303, rootPath);
  }));

  router.post(SECOND_FACTOR_PATHS.enrol, form, handle(async (req, res) => {
    const enrolling = await enrollingStaff(req, services);
    if (!enrolling) return toLogin(req, res);
    const outcome = await confirmEnrolment(services, enrolling.staff.id, field(req, 'code'));
    if (outcome.kind === 'enrolled') {
      if (enrolling.pending) await signIn(req, enrolling.staff);
      return res.render(VIEWS.codes, { recoveryCodes: outcome.recoveryCodes, rootPath });
    }
    const page = outcome.kind === 'noFactor' ? undefined : await enrolmentPage(services, enrolling.staff, enrolling.pending);
    if (!page) return res.redirect(303, `${rootPath}${SECOND_FACTOR_PATHS.enrol}`);
    refused(res, VIEWS.enrol, outcome, 'code', page);
  }));

  return router;
}

/**
 * Who may enrol on this page: a session waiting to enrol (STAFF_MFA=required, first login), or a
 * logged-in staff member without a factor who chooses to. Never a session waiting for a code: the
 * password alone must not replace an enrolled factor.
 */
async function enrollingStaff(req: Request, services: ServiceDeps): Promise<{ staff: StaffPrincipal; pending: boolean } | undefined> {
  const waiting = await pendingStaff(req, services.db, 'enrol');
  if (waiting) return { staff: waiting, pending: true };
  const current = asPrincipal(req.session.adminUser);
  const fresh = current ? await findActiveStaff(services.db, current.id) : undefined;
  return fresh ? { staff: fresh, pending: false } : undefined;
}

/** The QR code (an SVG image made here, so the page needs no script) and the same secret as text, in groups of four. */
async function enrolmentPage(services: ServiceDeps, staff: StaffPrincipal, pending: boolean) {
  const enrolment = await beginEnrolment(services, staff);
  if (!enrolment) return undefined;
  const svg = await QRCode.toString(enrolment.uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 });
  return {
    email: staff.email,
    pending,
    qrCode: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`,
    secret: enrolment.secret.match(/.{1,4}/g)!.join(' '),
  };
}

const STATUS: Record<CodeRefused['kind'], number> = { malformed: 400, wrong: 401, used: 401, locked: 429, unreadable: 409, noFactor: 409 };

/** The form again, its one field marked with what was wrong, in plain words. */
function refused(res: Response, view: string, outcome: CodeRefused, fieldId: 'code' | 'recovery-code', locals: Record<string, unknown>) {
  const say = t(res);
  const recovery = fieldId === 'recovery-code';
  const text =
    outcome.kind === 'locked' ? lockedText(say, outcome.retryAfterMs)
    : outcome.kind === 'malformed' ? say(recovery ? 'staffMfa.errors.recoveryMalformed' : 'staffMfa.errors.codeMalformed')
    : outcome.kind === 'wrong' ? say(recovery ? 'staffMfa.errors.recoveryWrong' : 'staffMfa.errors.codeWrong')
    : outcome.kind === 'used' ? say('staffMfa.errors.codeUsed')
    : say('staffMfa.errors.unreadable');
  renderWithErrors(res, view, STATUS[outcome.kind], [{ field: fieldId, text }], locals);
}

/** A pause is said in minutes, a day's lock in hours («1440 minuutin kuluttua» helps nobody). */
function lockedText(say: Translate, retryAfterMs: number): string {
  const minutes = minutesUntil(retryAfterMs);
  return minutes <= 90 ? say('staffMfa.errors.lockedMinutes', { count: minutes }) : say('staffMfa.errors.lockedHours', { count: Math.ceil(minutes / 60) });
}
