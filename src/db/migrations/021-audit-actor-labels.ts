import type { Knex } from 'knex';

/**
 * The audit log's actor filter («Tekijä»: part of a name or an address) searches the distinct
 * actor labels, a few per staff member and member, instead of the log itself. A trigram index on
 * the log's own column was paid on every row written: a staff send to 30,000 members writes 30,000
 * rows with the same label, and the index made each slice's audit INSERT 2–4 times slower (10 ms →
 * 21–43 ms for 1,000 rows, measured), with a flush of GIN's pending list now and then inside
 * whichever login or order happened to write the row that filled it.
 *
 * The labels are kept by the database as rows are written (a statement-level trigger, one INSERT
 * a statement however many rows it wrote); the log is searched by the exact labels that match, from a
 * plain index on (actor_label, at). A label whose rows the retention purge has deleted is removed
 * with them (src/audit/actor-labels.ts): a member's name does not outlive the log's retention.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE TABLE audit_actor_labels (label text PRIMARY KEY)');
  await knex.raw(`CREATE FUNCTION audit_actor_labels_add() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM audit_actor_labels;
      ELSE
        -- In key order, so that two writers of the same new labels wait for each other instead of deadlocking.
        INSERT INTO audit_actor_labels (label) SELECT DISTINCT actor_label FROM added WHERE actor_label IS NOT NULL ORDER BY 1 ON CONFLICT DO NOTHING;
      END IF;
      RETURN NULL;
    END $$`);
  for (const event of ['INSERT', 'UPDATE'] as const) {
    await knex.raw(`CREATE TRIGGER audit_actor_labels_${event.toLowerCase()} AFTER ${event} ON audit_log REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION audit_actor_labels_add()`);
  }
  await knex.raw('CREATE TRIGGER audit_actor_labels_truncate AFTER TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_actor_labels_add()');
  await knex.raw('INSERT INTO audit_actor_labels (label) SELECT DISTINCT actor_label FROM audit_log WHERE actor_label IS NOT NULL');
  await knex.raw('CREATE INDEX audit_actor_labels_trgm ON audit_actor_labels USING gin (label gin_trgm_ops)');
  await knex.raw('CREATE INDEX audit_log_actor_label_at ON audit_log (actor_label, at)');
  await knex.raw('DROP INDEX audit_log_actor_label_trgm');
  await knex.raw('ANALYZE audit_actor_labels');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('CREATE INDEX audit_log_actor_label_trgm ON audit_log USING gin (actor_label gin_trgm_ops)');
  await knex.raw('DROP INDEX audit_log_actor_label_at');
  for (const event of ['insert', 'update', 'truncate']) await knex.raw(`DROP TRIGGER audit_actor_labels_${event} ON audit_log`);
  await knex.raw('DROP FUNCTION audit_actor_labels_add()');
  await knex.raw('DROP TABLE audit_actor_labels');
}
