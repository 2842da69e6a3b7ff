import type { ActionContext, ActionRequest } from 'adminjs';
import type { ServiceDeps } from '../../src/services.js';
import { resetSecondFactor, whyNoReset } from '../../src/staff/second-factor-reset.js';
import { federationOnly, staffOf } from './current-staff.js';

/**
 * «Nollaa kaksivaiheinen tunnistus» on a staff account, for federation member services; the rule
 * (who may, what ends with it, the audit row) is src/staff/second-factor-reset.ts. Opened (GET), it
 * only says whose factor would be reset and what follows, or why it cannot be; confirmed in the
 * back-office's dialog (POST, admin/components/action-confirm.tsx), it resets. Texts are catalog
 * keys (admin/locale), shown in the staff member's language.
 */
export function staffActions(services: ServiceDeps) {
  return {
    resetSecondFactor: {
      actionType: 'record' as const,
      icon: 'Key',
      isAccessible: federationOnly,
      component: false as const,
      guard: 'secondFactorReset_confirm',
      custom: { confirmFirst: true },
      handler: async (request: ActionRequest, _response: unknown, context: ActionContext) => {
        const record = context.record!;
        const options = { name: String(record.params.name ?? '') };
        if (request.method !== 'post') {
          const refusal = await whyNoReset(services.db, staffOf(context), Number(record.id()));
          const confirmation = refusal
            ? { question: 'secondFactorReset_refused', detail: `secondFactorReset_${refusal}`, options }
            : { question: 'secondFactorReset_question', detail: 'secondFactorReset_questionDetail', options, confirm: true };
          return { record: record.toJSON(context.currentAdmin), confirmation };
        }
        const outcome = await resetSecondFactor(services, staffOf(context), Number(record.id()));
        const notice = outcome.kind === 'reset'
          ? { message: 'secondFactorReset_done', options: { ...options, count: outcome.sessionsEnded }, type: 'success' as const }
          : { message: `secondFactorReset_${outcome.kind}`, options, type: 'error' as const };
        return { record: record.toJSON(context.currentAdmin), notice };
      },
    },
  };
}
