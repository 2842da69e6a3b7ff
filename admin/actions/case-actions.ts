import type { ActionContext, ActionRequest } from 'adminjs';
import { resolveNotFoundCase, type ResolveOutcome } from '../../src/cases/resolve-case.js';
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
        const outcome = staff ? await resolveNotFoundCase(services, staff, Number(record.id()), memberNumber) : ({ kind: 'notVisible' } as const);
        const fresh = await context.resource.findOne(String(record.id()), context);
        return { record: (fresh ?? record).toJSON(context.currentAdmin), notice: resolveNotice(outcome) };
      },
    },
  };
}

/** Exactly what happened, in the staff member's language (keys in admin/locale). */
export function resolveNotice(outcome: ResolveOutcome): { message: string; options?: Record<string, string | number>; type: 'success' | 'error' } {
  if (outcome.kind === 'resolved') {
    return { message: 'caseResolved', options: { count: outcome.otherCasesClosed, address: outcome.address, memberNumber: outcome.memberNumber }, type: 'success' };
  }
  if (outcome.kind === 'linkNotSent') return { message: `caseNotResolved_${outcome.reason}`, options: { memberNumber: outcome.memberNumber }, type: 'error' };
  return { message: `case_${outcome.kind}`, type: 'error' };
}
