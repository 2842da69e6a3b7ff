import { Router, type Response } from 'express';
import { findMemberById } from '../members/register.js';
import { inspectLink } from '../passwords/links.js';
import { setMemberPasswordWithLink, setStaffPasswordWithLink } from '../passwords/set-password.js';
import type { ServiceDeps } from '../services.js';
import { field, renderWithErrors, t } from './forms.js';
import { linkPageHeaders } from './security.js';

/**
 * «PALAUTA SALASANA»: the page a set-password link opens. GET and HEAD only read the link (mail
 * scanners open links before the member does); the POST «Vaihda salasana» uses it.
 */
export function resetRoutes(deps: ServiceDeps): Router {
  const router = Router();
  router.use('/palauta-salasana', linkPageHeaders);

  router.get('/palauta-salasana/:token', async (req, res) => {
    const token = String(req.params.token);
    const link = await inspectLink(deps.db, token);
    const action = req.originalUrl.split('?')[0];
    if (link.state === 'valid' && link.staffUserId !== null) {
      const staff = await deps.db('staff_users').where({ id: link.staffUserId, active: true }).first('email');
      if (staff) return renderWithErrors(res, 'pages/reset', 200, [], { memberNumber: staff.email, staffLink: true, action });
    }
    const member = link.state === 'valid' && link.memberId !== null ? await findMemberById(deps.db, link.memberId) : undefined;
    if (!member || member.membershipStatus !== 'active') return linkProblem(res, link.state === 'valid' ? 'unknown' : link.state);
    renderWithErrors(res, 'pages/reset', 200, [], { memberNumber: member.memberNumber, action });
  });

  router.post('/palauta-salasana/:token', async (req, res) => {
    const token = String(req.params.token);
    const link = await inspectLink(deps.db, token);
    if (link.state === 'valid' && link.staffUserId !== null) {
      const staffOutcome = await setStaffPasswordWithLink(deps, token, field(req, 'password'));
      if (staffOutcome.kind === 'done') return res.render('pages/reset-done', { memberNumber: staffOutcome.email, staffLink: true });
      if (staffOutcome.kind === 'rejected') {
        const staff = await deps.db('staff_users').where({ id: link.staffUserId }).first('email');
        return renderWithErrors(res, 'pages/reset', 400, [{ field: 'password', text: t(res)(`reset.errors.${staffOutcome.problem}`) }], { memberNumber: staff?.email ?? '', staffLink: true, action: req.originalUrl.split('?')[0] });
      }
      return linkProblem(res, staffOutcome.kind);
    }
    const outcome = await setMemberPasswordWithLink(deps, token, field(req, 'password'));
    if (outcome.kind === 'done') return res.render('pages/reset-done', { memberNumber: outcome.member.memberNumber });
    if (outcome.kind === 'rejected') {
      const link = await inspectLink(deps.db, token);
      const member = link.state === 'valid' && link.memberId ? await findMemberById(deps.db, link.memberId) : undefined;
      return renderWithErrors(res, 'pages/reset', 400, [{ field: 'password', text: t(res)(`reset.errors.${outcome.problem}`) }], {
        memberNumber: member?.memberNumber ?? '',
        action: req.originalUrl.split('?')[0],
      });
    }
    linkProblem(res, outcome.kind);
  });

  return router;
}

/** Expired, used or unknown: say which in plain words, with the order form right there. */
function linkProblem(res: Response, problem: 'expired' | 'used' | 'unknown') {
  renderWithErrors(res, 'pages/link-problem', problem === 'unknown' ? 404 : 410, [], { problem, email: '', state: 'form' });
}
