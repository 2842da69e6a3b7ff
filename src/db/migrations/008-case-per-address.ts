import type { Knex } from 'knex';

/**
 * One open "user not found" case per address: repeated failed orders and the member's own request
 * form join it (attempts, the last attempt, what the requester told us) instead of piling up as
 * separate cases. Open cases that already share an address are merged into the newest of them.
 */
export async function up(knex: Knex): Promise<void> {
  // What a case is about, derived by the database so that no writer can get it wrong.
  await knex.raw(`ALTER TABLE not_found_cases ADD COLUMN address text GENERATED ALWAYS AS (lower(btrim(coalesce(email_to_add, email_typed)))) STORED`);
  await knex.schema.alterTable('not_found_cases', (t) => {
    t.integer('attempts').notNullable().defaultTo(1);
    t.timestamp('last_attempt_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('requested_at', { useTz: true }); // when the member sent the request form
  });
  await knex.raw(`
    UPDATE not_found_cases SET
      last_attempt_at = created_at,
      requested_at = CASE WHEN name IS NOT NULL THEN created_at END`);
  await knex.raw(`
    CREATE TEMPORARY TABLE case_groups ON COMMIT DROP AS
      SELECT address, max(id) AS keep, count(*)::int AS n, min(created_at) AS first_at, max(created_at) AS last_at
      FROM not_found_cases WHERE resolved_at IS NULL GROUP BY address HAVING count(*) > 1`);
  await knex.raw(`
    UPDATE not_found_cases c SET
      attempts = g.n, created_at = g.first_at, last_attempt_at = g.last_at,
      name = coalesce(c.name, (SELECT o.name FROM not_found_cases o WHERE o.address = g.address AND o.resolved_at IS NULL AND o.name IS NOT NULL ORDER BY o.id DESC LIMIT 1)),
      member_number = coalesce(c.member_number, (SELECT o.member_number FROM not_found_cases o WHERE o.address = g.address AND o.resolved_at IS NULL AND o.member_number IS NOT NULL ORDER BY o.id DESC LIMIT 1)),
      association_id = coalesce(c.association_id, (SELECT o.association_id FROM not_found_cases o WHERE o.address = g.address AND o.resolved_at IS NULL AND o.association_id IS NOT NULL ORDER BY o.id DESC LIMIT 1)),
      requested_at = (SELECT max(o.requested_at) FROM not_found_cases o WHERE o.address = g.address AND o.resolved_at IS NULL)
    FROM case_groups g WHERE c.id = g.keep`);
  await knex.raw(`DELETE FROM not_found_cases c USING case_groups g WHERE c.address = g.address AND c.resolved_at IS NULL AND c.id <> g.keep`);
  await knex.raw('CREATE UNIQUE INDEX not_found_cases_open_address ON not_found_cases (address) WHERE resolved_at IS NULL');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX not_found_cases_open_address');
  await knex.schema.alterTable('not_found_cases', (t) => {
    for (const column of ['address', 'attempts', 'last_attempt_at', 'requested_at']) t.dropColumn(column);
  });
}
