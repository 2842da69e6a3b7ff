import type { Knex } from 'knex';

/**
 * The back-office: what a "user not found" case may carry when the member files it from the
 * portal (number, name, the address to add), who resolved it, and trigram indexes so that staff
 * search by name, number and email stays fast on 100 000 members.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('not_found_cases', (t) => {
    t.text('member_number');
    t.text('name');
    t.text('email_to_add');
    t.integer('association_id').references('associations.id').onDelete('SET NULL');
    t.integer('resolved_member_id').references('members.id').onDelete('SET NULL');
    t.integer('resolved_by').references('staff_users.id').onDelete('SET NULL');
    t.index(['association_id']);
  });
  await knex.raw('CREATE EXTENSION IF NOT EXISTS pg_trgm');
  for (const column of ['first_name', 'last_name', 'email', 'member_number']) {
    await knex.raw(`CREATE INDEX members_${column}_trgm ON members USING gin (${column} gin_trgm_ops)`);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const column of ['first_name', 'last_name', 'email', 'member_number']) await knex.raw(`DROP INDEX members_${column}_trgm`);
  await knex.schema.alterTable('not_found_cases', (t) => {
    for (const column of ['member_number', 'name', 'email_to_add', 'association_id', 'resolved_member_id', 'resolved_by']) t.dropColumn(column);
  });
}
