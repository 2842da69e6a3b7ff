import type { Knex } from 'knex';

/**
 * Link sends started by staff for many members at once («Lähetä salasanalinkki valituille», «… kaikille
 * ilman salasanaa»). The request only records who is to get a link; the background worker turns the
 * rows into mails a slice at a time, so a send to thousands neither times out nor is lost if the
 * process stops, and staff can follow its progress.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('link_batches', (t) => {
    t.bigIncrements('id');
    t.integer('staff_user_id').notNullable().references('staff_users.id').onDelete('CASCADE');
    // The scope the batch was started in (null: federation); re-checked for every member when sending.
    t.integer('association_id').references('associations.id').onDelete('CASCADE');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['staff_user_id']);
  });
  await knex.schema.createTable('link_batch_members', (t) => {
    t.bigInteger('batch_id').notNullable().references('link_batches.id').onDelete('CASCADE');
    t.integer('member_id').notNullable().references('members.id').onDelete('CASCADE');
    t.text('address'); // lower(email) when planned: members sharing an address get one mail
    t.text('outcome'); // null: waiting for the worker
    t.bigInteger('mail_id').references('mail_queue.id').onDelete('SET NULL');
    t.timestamp('claimed_at', { useTz: true });
    t.primary(['batch_id', 'member_id']);
  });
  await knex.raw(`
    ALTER TABLE link_batch_members
      ADD CONSTRAINT link_batch_members_outcome_allowed CHECK (outcome IN ('sending', 'queued', 'no-email', 'ended', 'too-many', 'not-visible'))`);
  await knex.raw(`CREATE INDEX link_batch_members_pending ON link_batch_members (batch_id, address) WHERE outcome IS NULL OR outcome = 'sending'`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('link_batch_members');
  await knex.schema.dropTable('link_batches');
}
