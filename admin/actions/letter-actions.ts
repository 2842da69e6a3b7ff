import type { ActionContext, ActionRequest } from 'adminjs';
import { previewActivationLetters, type LetterSelection } from '../../src/letters/letter-batches.js';
import { previewActivationLetter } from '../../src/letters/letter-preview.js';
import { newestLetter } from '../../src/letters/letter-status.js';
import type { ServiceDeps } from '../../src/services.js';
import { Components } from '../components/loader.js';
import { staffOf } from './current-staff.js';

/**
 * «Tulosta aktivointikirje» on one member, on the selected ones, and on everyone without email and
 * password. These actions only show what printing would do (AdminJS calls them by GET, and a POST
 * to them changes nothing either): the page's own form posts to admin/letter-routes.ts, which makes
 * the codes and answers the PDF.
 */
export function letterActions(services: ServiceDeps) {
  const preview = async (context: ActionContext, selection: LetterSelection) => ({ preview: await previewActivationLetters(services, staffOf(context), selection) });

  return {
    printLetter: {
      actionType: 'record' as const,
      icon: 'Printer',
      component: Components.PrintLetter,
      // context.record was found through the scoped data layer; the preview reads within the scope again.
      handler: async (_request: ActionRequest, _response: unknown, context: ActionContext) => ({
        record: context.record!.toJSON(context.currentAdmin),
        preview: (await previewActivationLetter(services, staffOf(context), Number(context.record!.id()))) ?? null,
      }),
    },
    bulkPrintLetters: {
      actionType: 'bulk' as const,
      icon: 'Printer',
      component: Components.PrintLetters,
      handler: async (_request: ActionRequest, _response: unknown, context: ActionContext) => {
        const records = context.records ?? [];
        return { records: records.map((r) => r.toJSON(context.currentAdmin)), ...(await preview(context, { memberIds: records.map((r) => Number(r.id())) })) };
      },
    },
    printLettersWithoutEmail: {
      actionType: 'resource' as const,
      icon: 'Printer',
      component: Components.PrintLetters,
      handler: (_request: ActionRequest, _response: unknown, context: ActionContext) => preview(context, 'without-email-or-password'),
    },
    // Read by the member page's «Aktivointikirje» line (admin/components/letter-status.tsx); no page of its own.
    // context.record was found through the scoped data layer: another association's member is not found.
    letterStatus: {
      actionType: 'record' as const,
      isVisible: false,
      component: false as const,
      handler: async (_request: ActionRequest, _response: unknown, context: ActionContext) => ({
        record: context.record!.toJSON(context.currentAdmin),
        letter: await newestLetter(services.db, Number(context.record!.id())),
      }),
    },
  };
}
