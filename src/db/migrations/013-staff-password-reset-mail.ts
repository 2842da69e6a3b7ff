import type { Knex } from 'knex';

/** Staff order a new password themselves («Unohditko salasanan?»): a mail of its own kind, apart from the invitation. */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE mail_queue DROP CONSTRAINT mail_queue_template_allowed,
    ADD CONSTRAINT mail_queue_template_allowed CHECK (template IN ('set-password-link', 'password-changed', 'staff-invitation', 'staff-password-reset'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex('mail_queue').where({ template: 'staff-password-reset' }).delete();
  await knex.raw(`ALTER TABLE mail_queue DROP CONSTRAINT mail_queue_template_allowed,
    ADD CONSTRAINT mail_queue_template_allowed CHECK (template IN ('set-password-link', 'password-changed', 'staff-invitation'))`);
}
