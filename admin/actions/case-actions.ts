import type { ActionContext, ActionRequest } from 'adminjs';
import { resolveNotFoundCase } from '../../src/cases/resolve-case.js';
import type { ServiceDeps } from '../../src/services.js';
import { asPrincipal } from '../../src/staff/principal.js';
import { Components } from '../components/loader.js';

/**
 * Resolving a "user not found" case: staff choose the member by number (the form of
 * ResolveCase); the address is added to that member, a link is sent, the case is closed, all
 * audited. Opening the action (GET) only shows the form; the POST does the work.
 */
export function caseActions(services: ServiceDeps) {
  return {
    resolve: {
      actionType: 'record' as const,
      icon: 'CheckCircle',
      component: Components.ResolveCase,
      isAccessible: ({ record }: { record?: { params: Record<string, unknown> } }) => !record?.params?.resolved_at,
      handler: async (request: ActionRequest, _response: unknown, context: ActionContext) => {
        const staff = asPrincipal(context.currentAdmin);
        const record = context.record!;
        if (request.method !== 'post') return { record: record.toJSON(context.currentAdmin) };
        const memberNumber = String(request.payload?.memberNumber ?? record.params.member_number ?? '');
        const outcome = staff ? await resolveNotFoundCase(services, staff, Number(record.id()), memberNumber) : { kind: 'notVisible' as const };
        const messages: Record<string, string> = {
          resolved: `Osoite lisättiin jäsenelle ${memberNumber}, salasanalinkki on jonossa ja tapaus suljettiin.`,
          noMemberNumber: 'Kirjoita jäsenen jäsennumero (vain numeroita).',
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
