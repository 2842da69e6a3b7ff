import type { Knex } from 'knex';

/**
 * Indexes for the retention purges (src/retention.ts), which run every 10 minutes in every process.
 * Without them each run would read the whole mail queue and link table to find nothing old, and
 * deleting a batch of mail would read the whole link tables once per mail (their mail_id is set to
 * null on delete, and nothing indexed it).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE INDEX mail_queue_finished ON mail_queue (created_at) WHERE status IN ('sent', 'failed')`);
  // When a link stopped working: used, revoked or expired, whichever came first. The purge uses the same expression.
  await knex.raw('CREATE INDEX links_ended ON set_password_links (LEAST(used_at, revoked_at, expires_at))');
  await knex.raw('CREATE INDEX links_mail ON set_password_links (mail_id)');
  await knex.raw('CREATE INDEX link_batch_members_mail ON link_batch_members (mail_id)');
}

export async function down(knex: Knex): Promise<void> {
  for (const index of ['link_batch_members_mail', 'links_mail', 'links_ended', 'mail_queue_finished']) await knex.raw(`DROP INDEX ${index}`);
}
