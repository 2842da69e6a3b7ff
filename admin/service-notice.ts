import type { ActionContext, ActionRequest, ActionResponse } from 'adminjs';

/**
 * What a service reports about a save (an address shared with others, old links revoked, an
 * invitation queued) shown to staff instead of AdminJS's generic «Muutokset tallennettu». The
 * message is a catalog key (admin/locale), so AdminJS shows it in the staff member's language.
 */
export interface ServiceNotice {
  message: string;
  options?: Record<string, string | number>;
  type: 'success' | 'info' | 'error';
}

const NOTICE = 'serviceNotice';

/** Called by the data layer inside the save; AdminJS hands the same context to the action's after hook. */
export function rememberNotice(context: unknown, notice: ServiceNotice | undefined) {
  if (notice && context && typeof context === 'object') (context as Record<string, unknown>)[NOTICE] = notice;
}

async function replaceSuccessNotice(response: ActionResponse, _request: ActionRequest, context: ActionContext) {
  const notice = (context as unknown as Record<string, unknown>)[NOTICE] as ServiceNotice | undefined;
  if (notice && response.notice?.type === 'success') response.notice = notice;
  return response;
}

/** `new` and `edit` actions whose success notice says what the service did. */
export const savesWithServiceNotice = { new: { after: replaceSuccessNotice }, edit: { after: replaceSuccessNotice } };

/**
 * A saved record's own page, rather than the list: after adding or correcting a member's address,
 * «Lähetä salasanalinkki» is right there, without finding the member again.
 */
async function toSavedRecord(response: ActionResponse, request: ActionRequest, context: ActionContext) {
  const answer = await replaceSuccessNotice(response, request, context);
  const recordId = (answer.record as { id?: string } | undefined)?.id;
  if (answer.redirectUrl && recordId && answer.notice?.type !== 'error') {
    answer.redirectUrl = context.h.recordActionUrl({ resourceId: context.resource.id(), recordId: String(recordId), actionName: 'show' });
  }
  return answer;
}

export const savesLeadingToRecord = { new: { after: toSavedRecord }, edit: { after: toSavedRecord } };
