import type { Knex } from 'knex';

/**
 * A staff link send whose group keeps failing must end, not be retried forever: each member row
 * counts the worker's attempts, keeps the last reason, waits before the next try, and ends as
 * 'failed' after a bounded number of attempts.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('link_batch_members', (t) => {
    t.integer('attempts').notNullable().defaultTo(0);
    t.text('last_error');
    t.timestamp('not_before', { useTz: true });
  });
  await knex.raw(`
    ALTER TABLE link_batch_members
      DROP CONSTRAINT link_batch_members_outcome_allowed,
      ADD CONSTRAINT link_batch_members_outcome_allowed CHECK (outcome IN ('sending', 'queued', 'no-email', 'ended', 'too-many', 'not-visible', 'failed'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex('link_batch_members').where({ outcome: 'failed' }).update({ outcome: null });
  await knex.raw(`
    ALTER TABLE link_batch_members
      DROP CONSTRAINT link_batch_members_outcome_allowed,
      ADD CONSTRAINT link_batch_members_outcome_allowed CHECK (outcome IN ('sending', 'queued', 'no-email', 'ended', 'too-many', 'not-visible'))`);
  await knex.schema.alterTable('link_batch_members', (t) => {
    t.dropColumn('not_before');
    t.dropColumn('last_error');
    t.dropColumn('attempts');
  });
}
