import { Router } from 'express';

/** Pages with no form: the front page and the accessibility statement. */
export function infoPages(): Router {
  const router = Router();
  router.get('/', (_req, res) => res.render('pages/front'));
  router.get('/saavutettavuusseloste', (_req, res) => res.render('pages/accessibility'));
  return router;
}
