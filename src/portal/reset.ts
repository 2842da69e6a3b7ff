import type { Router, Request, Response } from 'express';
import type { Language } from '../i18n/index.js';
import { formatTime } from '../mail/compose.js';
import { openSetPasswordLink, setPasswordWithLink, type LinkPage, type SetPasswordOutcome } from '../passwords/set-password.js';
import { rememberDevice } from '../passwords/trusted-device.js';
import type { ServiceDeps } from '../services.js';
import { field, renderWithErrors, t } from './forms.js';
import { linkPageHeaders, refuseCrossSite } from './security.js';

/**
 * «PALAUTA SALASANA»: the page a set-password link opens, for members and staff invitations alike.
 * GET and HEAD only read the link (mail scanners open links before the member does); the POST
 * «Vaihda salasana» uses it.
 */
export function resetRoutes(router: Router, deps: ServiceDeps): void {
  router.use('/palauta-salasana', linkPageHeaders);

  router.get('/palauta-salasana/:token', async (req, res) => {
    showLinkPage(req, res, await openSetPasswordLink(deps, String(req.params.token)));
  });

  // No session CSRF token here. The link token in the address is the member's credential for this
  // form: 256 random bits, so a cross-site attacker cannot build this request without holding the
  // link, and the form keeps working as long as the link does, however long the session lasted.
  // refuseCrossSite adds what the browser says about where the post came from.
  router.post('/palauta-salasana/:token', refuseCrossSite(deps.config.publicUrl), async (req, res) => {
    const outcome = await setPasswordWithLink(deps, String(req.params.token), field(req, 'password'), res.locals.lang as Language);
    if (outcome.kind !== 'done') return showLinkPage(req, res, outcome);
    // The browser that set a member's password is the member's own: it is not locked out by others' failures.
    if (outcome.account.kind === 'member') rememberDevice(req, res, deps.config, outcome.account.username);
    res.render('pages/reset-done', { memberNumber: outcome.account.username, staffLink: outcome.account.kind === 'staff' });
  });

}

/** The form for the link's account (with why a password was refused), or what is wrong with the link. */
function showLinkPage(req: Request, res: Response, page: LinkPage | Exclude<SetPasswordOutcome, { kind: 'done' }>) {
  if (page.kind === 'form' || page.kind === 'rejected') {
    const errors = page.kind === 'rejected' ? [{ field: 'password', text: t(res)(`reset.errors.${page.problem}`) }] : [];
    return renderWithErrors(res, 'pages/reset', errors.length > 0 ? 400 : 200, errors, {
      memberNumber: page.account.username,
      staffLink: page.account.kind === 'staff',
      validUntil: formatTime(page.expiresAt, res.locals.lang as Language),
      action: req.originalUrl.split('?')[0],
    });
  }
  // Expired, used or unknown: say which in plain words, with the way to a new link right there —
  // the members' order form, or for a staff member's link the back-office's own.
  renderWithErrors(res, 'pages/link-problem', page.kind === 'unknown' ? 404 : 410, [], { problem: page.kind, forStaff: page.forStaff === true, email: '', state: 'form' });
}
