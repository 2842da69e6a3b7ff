import type { Router } from 'express';
import { isDatabaseReachable, type Db } from '../db/connection.js';

/** /healthz: the process answers. /readyz: the database answers too (503 when it does not). */
export function healthRoutes(router: Pick<Router, 'get'>, db: Db): void {
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const database = await isDatabaseReachable(db);
    res.status(database ? 200 : 503).json({ status: database ? 'ok' : 'unavailable', database: database ? 'ok' : 'unreachable' });
  });
}
