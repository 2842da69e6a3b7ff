import type { Knex } from 'knex';

/**
 * The audit log names who did it in words (a staff member's name and address, a member's name and
 * number), stored at writing time so that staff can read and filter the log without ids.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('audit_log', (t) => {
    t.text('actor_label');
  });
  await knex.raw(`
    UPDATE audit_log a SET actor_label = CASE a.actor_type
      WHEN 'staff' THEN (SELECT s.name || ' <' || s.email || '>' FROM staff_users s WHERE s.id = a.actor_id)
      WHEN 'member' THEN (SELECT m.first_name || ' ' || m.last_name || ' (' || m.member_number || ')' FROM members m WHERE m.id = a.actor_id)
    END`);
  await knex.raw('CREATE INDEX audit_log_actor_label_trgm ON audit_log USING gin (actor_label gin_trgm_ops)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('audit_log', (t) => {
    t.dropColumn('actor_label');
  });
}
