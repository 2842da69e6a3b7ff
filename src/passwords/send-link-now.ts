import { inTransaction } from '../db/connection.js';
import type { ServiceDeps } from '../services.js';
import type { StaffPrincipal } from '../staff/principal.js';
import { processLinkBatches, startLinkSend } from './link-batches.js';

/** What became of a link sent to one member at once; 'queued' is the only one where a mail waits to leave. */
export type LinkSendOutcome = 'queued' | 'no-email' | 'ended' | 'too-many' | 'not-visible' | 'failed';

/**
 * «Lähetä salasanalinkki» on one member (or a case's member), done at once so that staff are told
 * what happened: the same plan, rule and mail as a bulk send, with the worker's step run here, all
 * in the caller's transaction when there is one. A group that could not be prepared is not left
 * for a later retry: staff see it failed now and can try again.
 */
export async function sendLinkNow(deps: ServiceDeps, staff: StaffPrincipal, memberId: number): Promise<LinkSendOutcome> {
  return inTransaction(deps.db, async (trx) => {
    const batchId = await startLinkSend(trx, staff, { memberIds: [memberId] });
    await processLinkBatches({ ...deps, db: trx }, { batchId, maxGroups: 1, priority: 'now' });
    const row = await trx('link_batch_members').where({ batch_id: batchId, member_id: memberId }).first('outcome');
    if (!row) return 'not-visible';
    if (row.outcome === null || row.outcome === 'sending') {
      await trx('link_batch_members').where({ batch_id: batchId, member_id: memberId }).update({ outcome: 'failed' });
      return 'failed';
    }
    return row.outcome as LinkSendOutcome;
  });
}
