import type { Knex } from 'knex';

/**
 * Members without email get a printed letter (issue #14): the register keeps a postal address, and
 * the one-time activation codes the letters carry are kept here, as hashes only.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('members', (t) => {
    t.text('street_address');
    t.text('postal_code');
    t.text('post_office');
  });
  // Stored trimmed, never blank; a Finnish postal code is five digits (foreign addresses are not in scope).
  await knex.raw(`
    ALTER TABLE members
      ADD CONSTRAINT members_street_address_shape CHECK (street_address IS NULL OR (street_address = btrim(street_address) AND street_address <> '')),
      ADD CONSTRAINT members_postal_code_digits CHECK (postal_code IS NULL OR postal_code ~ '^[0-9]{5}$'),
      ADD CONSTRAINT members_post_office_shape CHECK (post_office IS NULL OR (post_office = btrim(post_office) AND post_office <> ''))`);

  await knex.schema.createTable('activation_codes', (t) => {
    t.bigIncrements('id');
    t.integer('member_id').notNullable().references('members.id').onDelete('CASCADE');
    // SHA-256 of "member number:code"; the code itself is only ever on the printed letter.
    t.binary('code_hash').notNullable().unique();
    t.integer('created_by').references('staff_users.id').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('used_at', { useTz: true });
    t.timestamp('revoked_at', { useTz: true });
    t.text('revoked_reason');
  });
  await knex.raw(`
    ALTER TABLE activation_codes
      ADD CONSTRAINT activation_codes_revoked_reason_allowed CHECK (revoked_reason IS NULL OR revoked_reason IN ('superseded', 'password-set', 'account-changed')),
      ADD CONSTRAINT activation_codes_revoked_has_reason CHECK ((revoked_at IS NULL) = (revoked_reason IS NULL))`);
  await knex.raw('CREATE INDEX activation_codes_member_outstanding ON activation_codes (member_id) WHERE used_at IS NULL AND revoked_at IS NULL');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('activation_codes');
  await knex.schema.alterTable('members', (t) => {
    t.dropColumn('street_address');
    t.dropColumn('postal_code');
    t.dropColumn('post_office');
  });
}
