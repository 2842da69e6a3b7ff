import type { Knex } from 'knex';
import type { Db } from '../db/connection.js';

/**
 * The distinct labels of the audit log's actors (migration 021), which its actor filter searches:
 * the database adds a label when a row with it is written; labels whose rows are all gone are
 * removed here, after the retention purge, so that no name outlives the log's retention.
 */

/**
 * The condition on `audit_log` for a text search on its actor: the rows whose label is one of
 * those matching the ILIKE pattern (read from the index on (actor_label, at)).
 */
export function actorLabelMatches(db: Db, pattern: string): Knex.Raw {
  return db.raw('audit_log.actor_label = ANY(ARRAY(SELECT label FROM audit_actor_labels WHERE label ILIKE ?))', [pattern]);
}

/**
 * Removes the labels no audit row has any more. Every audit INSERT holds a lock on the labels table
 * until it commits (the trigger's INSERT takes it even when the label is there already), and this
 * lock waits for them and keeps new ones out while the labels are checked: a label cannot be
 * removed just as a row that uses it is being written. The wait is short, and bounded: past it the
 * prune gives up, to be done by the next purge, rather than hold up logins behind it.
 */
export async function pruneActorLabels(db: Db, lockTimeout = '2s'): Promise<number> {
  try {
    return await db.transaction(async (trx) => {
      await trx.raw(`SELECT set_config('lock_timeout', ?, true)`, [lockTimeout]);
      await trx.raw('LOCK TABLE audit_actor_labels IN SHARE ROW EXCLUSIVE MODE');
      const result = await trx.raw('DELETE FROM audit_actor_labels l WHERE NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.actor_label = l.label)');
      return result.rowCount as number;
    });
  } catch (error) {
    if ((error as { code?: string }).code === LOCK_NOT_AVAILABLE) return 0;
    throw error;
  }
}

const LOCK_NOT_AVAILABLE = '55P03';
