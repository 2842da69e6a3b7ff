import type { ActionContext, ActionRequest } from 'adminjs';
import { closeNotFoundCase, nextOpenCase, type CloseOutcome } from '../../src/cases/close-case.js';
import { searchMembersForCase } from '../../src/cases/member-choices.js';
import { caseForResolving, resolveNotFoundCase, type MemberChosen, type ResolveOutcome } from '../../src/cases/resolve-case.js';
import type { ServiceDeps } from '../../src/services.js';
import { asPrincipal } from '../../src/staff/principal.js';
import { Components } from '../components/loader.js';

/**
 * Resolving a "user not found" case: staff choose the member from the suggestions or a search (the
 * form of ResolveCase); the address is added to that member, a link is sent, the case is closed, all
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
        const caseId = Number(record.id());
        const nextCaseId = staff ? await nextOpenCase(services.db, staff, caseId) : null;
        if (request.method !== 'post') {
          const view = staff ? await caseForResolving(services, staff, caseId) : undefined;
          return { record: record.toJSON(context.currentAdmin), suggestions: view?.suggestions ?? [], nextCaseId };
        }
        const outcome = staff ? await resolveNotFoundCase(services, staff, caseId, chosenMember(request.payload)) : ({ kind: 'notVisible' } as const);
        return { ...(await caseNow(context)), notice: resolveNotice(outcome), nextCaseId };
      },
    },
    // ResolveCase's second form: a case no member can be given is closed, with the reason, and nothing else changes.
    closeCase: {
      actionType: 'record' as const,
      isVisible: false,
      component: false as const,
      handler: async (request: ActionRequest, _response: unknown, context: ActionContext) => {
        const staff = asPrincipal(context.currentAdmin);
        const caseId = Number(context.record!.id());
        const outcome: CloseOutcome = request.method !== 'post' || !staff ? { kind: 'notVisible' } : await closeNotFoundCase(services.db, staff, caseId, request.payload?.reason);
        const notice = outcome.kind === 'closed' ? { message: 'caseClosed', type: 'success' as const } : { message: `case_${outcome.kind}`, type: 'error' as const };
        return { ...(await caseNow(context)), notice, nextCaseId: staff ? await nextOpenCase(services.db, staff, caseId) : null };
      },
    },
    // Called by ResolveCase's search field; reads only, and only members this staff member may see.
    findMembers: {
      actionType: 'record' as const,
      isVisible: false,
      component: false as const,
      handler: async (request: ActionRequest, _response: unknown, context: ActionContext) => {
        const staff = asPrincipal(context.currentAdmin);
        const record = context.record!;
        const typed = typeof request.query?.q === 'string' ? request.query.q : '';
        const choices = staff ? await searchMembersForCase(services.db, staff, { address: String(record.params.address ?? '') }, typed) : [];
        return { record: record.toJSON(context.currentAdmin), choices };
      },
    },
  };
}

/** The case as it is after a change, for the page to show. */
async function caseNow(context: ActionContext) {
  const record = context.record!;
  const fresh = await context.resource.findOne(String(record.id()), context);
  return { record: (fresh ?? record).toJSON(context.currentAdmin) };
}

/** The member chosen in the form: an id from the suggestions or the search, else a typed member number. */
function chosenMember(payload: Record<string, unknown> | undefined): MemberChosen {
  const id = typeof payload?.memberId === 'string' && /^\d{1,9}$/.test(payload.memberId) ? Number(payload.memberId) : undefined;
  return id !== undefined ? { memberId: id } : { memberNumber: String(payload?.memberNumber ?? '') };
}

/** Exactly what happened, in the staff member's language (keys in admin/locale). */
export function resolveNotice(outcome: ResolveOutcome): { message: string; options?: Record<string, string | number>; type: 'success' | 'error' } {
  if (outcome.kind === 'resolved') {
    return { message: 'caseResolved', options: { count: outcome.otherCasesClosed, address: outcome.address, memberNumber: outcome.memberNumber }, type: 'success' };
  }
  if (outcome.kind === 'linkNotSent') return { message: `caseNotResolved_${outcome.reason}`, options: { memberNumber: outcome.memberNumber }, type: 'error' };
  return { message: `case_${outcome.kind}`, type: 'error' };
}
