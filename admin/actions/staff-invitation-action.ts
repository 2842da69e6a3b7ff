import type { ActionContext, ActionRequest } from 'adminjs';
import type { ServiceDeps } from '../../src/services.js';
import { resendStaffInvitation } from '../../src/staff/staff-recovery.js';
import { Components } from '../components/loader.js';
import { federationOnly, staffOf } from './current-staff.js';

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
        const outcome = await resendStaffInvitation(services, staffOf(context), Number(record.id()));
        // Catalog keys (admin/locale): AdminJS shows them in the staff member's language.
        const notice = outcome.kind === 'queued'
          ? { message: 'resendInvitation_sent', options: { email: outcome.email }, type: 'success' as const }
          : { message: `resendInvitation_${outcome.kind}`, type: 'error' as const };
        return { record: record.toJSON(context.currentAdmin), notice };
      },
    },
  };
}
