import type { Router } from 'express';
import type { Db } from '../db/connection.js';

/** Development only (no SMTP_URL, not production): the mail the service would have sent. */
export function devMailboxRoutes(router: Router, db: Db): void {
  router.get('/kehitys/postilaatikko', async (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Referrer-Policy', 'no-referrer');
    const messages = await db('dev_mailbox').orderBy('id', 'desc').limit(50);
    res.render('pages/dev-mailbox', { messages });
  });
}
