import { Router, type Request, type Response } from 'express';
import { makeActivationLetter } from '../src/letters/activation-letter.js';
import { makeActivationLetters, type LetterSelection } from '../src/letters/letter-batches.js';
import { writeActivationLetters } from '../src/letters/letter-pdf.js';
import { languageOf } from '../src/i18n/language-middleware.js';
import type { Logger } from '../src/logger.js';
import type { ServiceDeps } from '../src/services.js';
import { asPrincipal } from '../src/staff/principal.js';
import { staffText } from './staff-language.js';

/** Where the letter pages' forms post (admin/components/print-letter.tsx, print-letters.tsx). */
export const LETTERS_PATH = '/aktivointikirjeet';

/**
 * «Tulosta aktivointikirje»: making a letter makes a code and ends the older ones, so it happens
 * only on a POST from the back-office's own page (admin/origin-check.ts), never on opening anything.
 * A plain form post rather than an AdminJS action, because the answer is a file for the browser to
 * download. Who may get a letter, and the staff member's scope, are the services' (src/letters/).
 *
 * Fields: `memberId` (one member), or `selection` = `selected` with `memberIds` (comma-separated)
 * or `without-email-or-password`.
 */
export function letterRoutes(services: ServiceDeps, logger: Logger): Router {
  const router = Router();
  router.post(LETTERS_PATH, async (req, res, next) => {
    const staff = asPrincipal(req.session.adminUser);
    if (!staff) return res.redirect(303, `${req.baseUrl}/login`);
    res.set('Cache-Control', 'no-store');
    const fields = (req.body ?? {}) as Record<string, unknown>;
    try {
      if (fields.memberId !== undefined) {
        const memberId = idFrom(fields.memberId);
        const outcome = memberId === undefined ? ({ kind: 'notFound' } as const) : await makeActivationLetter(services, staff, memberId);
        if (outcome.kind === 'notFound') return refuse(req, res, 404, 'letter_notFound');
        if (outcome.kind === 'refused') return refuse(req, res, 409, `letter_refused_${outcome.why}`);
        return pdfHeaders(res, outcome.fileName).set('Content-Length', String(outcome.pdf.length)).end(outcome.pdf);
      }
      const selection = selectionFrom(fields);
      if (!selection) return refuse(req, res, 400, 'letter_badRequest');
      const outcome = await makeActivationLetters(services, staff, selection);
      if (outcome.kind === 'notFound') return refuse(req, res, 404, 'letter_notFound');
      if (outcome.kind === 'nobody') return refuse(req, res, 409, 'letters_nothingMade');
      // How many pages are coming: the page that asked counts them as they arrive (print-letters.tsx).
      pdfHeaders(res, outcome.fileName).set('X-Letter-Count', String(outcome.letters.length));
      await writeActivationLetters(services.config, outcome.letters, res).catch((error: unknown) => {
        // The codes are made and audited; the file broke off. Staff print again, which ends these codes.
        logger.warn({ err: error, letters: outcome.letters.length, staffId: staff.id }, 'activation letters were not delivered whole');
        res.destroy();
      });
    } catch (error) {
      next(error);
    }
  });
  return router;
}

function pdfHeaders(res: Response, fileName: string): Response {
  return res.status(200).type('application/pdf').set('Content-Disposition', `attachment; filename="${fileName}"`);
}

/** An expected refusal, said in the staff member's language: the form's page had already told them why. */
function refuse(req: Request, res: Response, status: number, key: string) {
  const language = languageOf(req);
  res.status(status).type('text/plain').set('Content-Language', language).send(staffText(language, `messages.${key}`));
}

function idFrom(value: unknown): number | undefined {
  return typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : undefined;
}

function selectionFrom(fields: Record<string, unknown>): LetterSelection | undefined {
  if (fields.selection === 'without-email-or-password') return 'without-email-or-password';
  if (fields.selection !== 'selected' || typeof fields.memberIds !== 'string') return undefined;
  const ids = fields.memberIds.split(',').map(idFrom);
  return ids.length > 0 && ids.every((id) => id !== undefined) ? { memberIds: ids as number[] } : undefined;
}
