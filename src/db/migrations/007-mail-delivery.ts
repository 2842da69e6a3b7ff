import type { Knex } from 'knex';

/**
 * Mail delivery that keeps up and keeps order (src/mail/worker.ts):
 * - `priority`: 0 for mail someone is waiting for (a member's own order, a notice, a link sent to one
 *   member or an invitation), 1 for a staff bulk send. The worker always takes the lowest first, so a
 *   member's order never waits behind a send to thousands.
 * - A mail being sent is due again when its claim runs out: the claim's end is kept in
 *   `next_attempt_at` too, so one index over (priority, next_attempt_at) finds whatever is due,
 *   whether queued, to be retried, or left by a process that stopped.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('mail_queue', (t) => {
    t.smallint('priority').notNullable().defaultTo(0);
  });
  await knex.raw('ALTER TABLE mail_queue ADD CONSTRAINT mail_queue_priority_allowed CHECK (priority IN (0, 1))');
  await knex.raw(`UPDATE mail_queue SET next_attempt_at = locked_until WHERE status = 'sending' AND locked_until IS NOT NULL`);
  await knex.raw('DROP INDEX mail_queue_due');
  await knex.raw(`CREATE INDEX mail_queue_due ON mail_queue (priority, next_attempt_at, id) WHERE status IN ('queued', 'retrying', 'sending')`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX mail_queue_due');
  await knex.raw(`CREATE INDEX mail_queue_due ON mail_queue (next_attempt_at) WHERE status IN ('queued', 'retrying', 'sending')`);
  await knex.schema.alterTable('mail_queue', (t) => {
    t.dropColumn('priority');
  });
}
