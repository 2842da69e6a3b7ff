import type { ServiceDeps } from '../services.js';
import type { StaffPrincipal } from '../staff/principal.js';
import { outcomesByMember, processLinkBatches, startLinkSend } from './link-batches.js';

export interface StaffSendResult {
  queued: number;
  noEmail: string[];
  ended: string[];
  tooMany: string[];
}

/**
 * «Lähetä salasanalinkki» on one member (or a case's member), done at once so that the notice can
 * say what happened: the same plan, rule and mail as a bulk send, with the worker's step run here.
 */
export async function sendLinksForStaff(deps: ServiceDeps, staff: StaffPrincipal, memberIds: number[]): Promise<StaffSendResult> {
  const batchId = await startLinkSend(deps.db, staff, { memberIds });
  await processLinkBatches(deps, { batchId, maxGroups: memberIds.length });
  const outcomes = await outcomesByMember(deps.db, batchId);
  return {
    queued: outcomes['queued']?.length ?? 0,
    noEmail: outcomes['no-email'] ?? [],
    ended: outcomes['ended'] ?? [],
    tooMany: outcomes['too-many'] ?? [],
  };
}
