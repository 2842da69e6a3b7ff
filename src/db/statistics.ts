import type { Db } from './connection.js';

/**
 * The tables a staff link send fills by the thousand, whose statements run once a mail: the links,
 * the mail queue and its members, the send's own rows.
 */
export const BULK_FILLED_TABLES = ['set_password_links', 'mail_queue', 'mail_queue_members', 'link_batch_members'] as const;

/**
 * ANALYZE for each of `tables` that has had as many rows changed since its statistics were taken as
 * it had then (at least 1,000): planning on statistics from a nearly empty table, PostgreSQL read every
 * outstanding link for each sent mail in the first big send of a new installation, and the send fell
 * to a third of its speed until autovacuum (which looks once a minute) analysed the table. One catalog
 * read when nothing is stale; an ANALYZE samples at most 30,000 rows (well under a second at 100,000).
 */
export async function refreshStaleStatistics(db: Db, tables: readonly string[] = BULK_FILLED_TABLES): Promise<string[]> {
  const stale = (
    await db.raw(
      `SELECT s.relname FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
       WHERE s.schemaname = current_schema() AND s.relname = ANY(?::text[]) AND s.n_mod_since_analyze >= greatest(1000, c.reltuples)`,
      [[...tables]],
    )
  ).rows.map((row: { relname: string }) => row.relname);
  for (const table of stale) await db.raw('ANALYZE ??', [table]);
  return stale;
}
