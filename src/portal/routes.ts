import { Router } from 'express';
import type { AppDeps } from '../app.js';

export function portalRoutes(_deps: AppDeps): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    res.render('pages/front');
  });
  return router;
}
