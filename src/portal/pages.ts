import type { Router } from 'express';

/** Pages with no form: the front page and the accessibility statement. */
export function infoPages(router: Router): void {
  router.get('/', (_req, res) => res.render('pages/front'));
  router.get('/saavutettavuusseloste', (_req, res) => res.render('pages/accessibility'));
}
