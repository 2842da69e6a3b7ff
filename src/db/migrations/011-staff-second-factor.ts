import type { Knex } from 'knex';

/**
 * Staff second factor (TOTP, RFC 6238) and its recovery codes, in tables of their own that AdminJS
 * never registers: the secret is stored only encrypted (AES-256-GCM, src/staff/second-factor-secrets.ts),
 * the recovery codes only as keyed hashes. A row with enrolled_at NULL is an enrolment begun and not
 * yet confirmed with a code: it does not count as a factor. last_used_step is the RFC 6238 time step
 * of the last code accepted, so the same code (or an older one) is refused after it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('staff_second_factors', (t) => {
    t.integer('staff_user_id').primary().references('staff_users.id').onDelete('CASCADE');
    t.text('secret_encrypted').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('enrolled_at', { useTz: true });
    t.bigInteger('last_used_step');
    t.timestamp('last_used_at', { useTz: true });
  });
  await knex.schema.createTable('staff_recovery_codes', (t) => {
    t.increments('id');
    t.integer('staff_user_id').notNullable().references('staff_users.id').onDelete('CASCADE');
    t.text('code_hash').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('used_at', { useTz: true });
    t.unique(['staff_user_id', 'code_hash']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('staff_recovery_codes');
  await knex.schema.dropTable('staff_second_factors');
}
