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
