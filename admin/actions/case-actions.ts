import type { ActionContext, ActionRequest } from 'adminjs';
import { resolveNotFoundCase } from '../../src/cases/resolve-case.js';
import type { ServiceDeps } from '../../src/services.js';
import { asPrincipal } from '../../src/staff/principal.js';

/**
 * Resolving a "user not found" case: staff give the member number; the address is added to that
 * member, a link is sent, the case is closed, all audited, in one confirmed action.
 */
export function caseActions(services: ServiceDeps) {
  return {
    resolve: {
      actionType: 'record' as const,
      icon: 'CheckCircle',
      component: false as const,
      guard: 'Lisätäänkö tapauksen sähköpostiosoite jäsenelle, jonka jäsennumero on tapauksessa, ja lähetetäänkö salasanalinkki?',
      isAccessible: ({ record }: { record?: { params: Record<string, unknown> } }) => !record?.params?.resolved_at,
      handler: async (request: ActionRequest, _response: unknown, context: ActionContext) => {
        const staff = asPrincipal(context.currentAdmin);
        const record = context.record!;
        const memberNumber = String(request.payload?.memberNumber ?? record.params.member_number ?? '');
        const outcome = staff ? await resolveNotFoundCase(services, staff, Number(record.id()), memberNumber) : { kind: 'notVisible' as const };
        const messages: Record<string, string> = {
          resolved: `Osoite lisättiin jäsenelle ${memberNumber}, salasanalinkki on jonossa ja tapaus suljettiin.`,
          noMemberNumber: 'Tapauksessa ei ole jäsennumeroa. Etsi jäsen, lisää osoite jäsenen tietoihin ja lähetä linkki jäsenen sivulta; sulje tapaus sitten.',
          notVisible: 'Jäsentä ei löydy tai hän ei kuulu yhdistykseesi.',
          noAddress: 'Tapauksessa ei ole sähköpostiosoitetta.',
          alreadyResolved: 'Tapaus on jo ratkaistu.',
          invalidAddress: 'Tapauksen sähköpostiosoite ei ole oikean muotoinen. Lisää oikea osoite jäsenen tietoihin.',
        };
        const ok = outcome.kind === 'resolved';
        return { record: (await context.resource.findOne(String(record.id()), context))?.toJSON(context.currentAdmin) ?? record.toJSON(context.currentAdmin), notice: { message: messages[outcome.kind] ?? '', type: ok ? 'success' : 'error' } };
      },
    },
  };
}
