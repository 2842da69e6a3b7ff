import type { ActionContext, ActionRequest } from 'adminjs';
import type { ServiceDeps } from '../../src/services.js';
import { asPrincipal } from '../../src/staff/principal.js';
import { resendStaffInvitation } from '../../src/staff/staff-recovery.js';
import { Components } from '../components/loader.js';

const federationOnly = ({ currentAdmin }: { currentAdmin?: unknown }) => asPrincipal(currentAdmin)?.role === 'federation';

/** «Lähetä kutsu uudelleen» on a staff account: opening it (GET) shows to whom; confirming it (POST) sends. */
export function staffInvitationActions(services: ServiceDeps) {
  return {
    resendInvitation: {
      actionType: 'record' as const,
      icon: 'Send',
      isAccessible: federationOnly,
      component: Components.ResendInvitation,
      handler: async (request: ActionRequest, _response: unknown, context: ActionContext) => {
        const record = context.record!;
        if (request.method !== 'post') return { record: record.toJSON(context.currentAdmin) };
        const staff = asPrincipal(context.currentAdmin);
        if (!staff) throw new Error('no staff member');
        const outcome = await resendStaffInvitation(services, staff, Number(record.id()));
        // Catalog keys (admin/locale): AdminJS shows them in the staff member's language.
        const notice = outcome.kind === 'queued'
          ? { message: 'resendInvitation_sent', options: { email: outcome.email }, type: 'success' as const }
          : { message: `resendInvitation_${outcome.kind}`, type: 'error' as const };
        return { record: record.toJSON(context.currentAdmin), notice };
      },
    },
  };
}
