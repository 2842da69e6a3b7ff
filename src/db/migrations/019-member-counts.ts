import type { Knex } from 'knex';

/**
 * How many members each association has, kept by the database itself as members are added, moved
 * and removed, so that the back-office's unfiltered member list (the first thing staff open) is
 * counted from at most one row per association instead of by reading 100,000 index entries
 * (src/members/member-counts.ts). Statement-level triggers with transition tables: a bulk import
 * updates each association's row once per statement, not once per member, and an update that moves
 * nobody (an email changed) writes nothing. The rows are updated in association order, so two
 * imports into the same associations wait for each other instead of deadlocking.
 */
export async function up(knex: Knex): Promise<void> {
  // No CHECK (members >= 0): ON CONFLICT checks the proposed row (a removal's negative change) before it adds.
  await knex.raw(`CREATE TABLE member_counts (
    association_id integer PRIMARY KEY REFERENCES associations(id) ON DELETE CASCADE,
    members bigint NOT NULL)`);
  // PL/pgSQL plans a statement when it first runs it, so each branch names only the transition
  // tables its own event has.
  await knex.raw(`CREATE FUNCTION member_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM member_counts;
      ELSIF TG_OP = 'INSERT' THEN
        PERFORM member_counts_add(array_agg(association_id), array_agg(1)) FROM added;
      ELSIF TG_OP = 'DELETE' THEN
        PERFORM member_counts_add(array_agg(association_id), array_agg(-1)) FROM removed;
      ELSE
        PERFORM member_counts_add(array_agg(association_id), array_agg(change)) FROM (
          SELECT association_id, 1 AS change FROM added UNION ALL SELECT association_id, -1 FROM removed) AS changes;
      END IF;
      RETURN NULL;
    END $$`);
  await knex.raw(`CREATE FUNCTION member_counts_add(associations integer[], changes integer[]) RETURNS void LANGUAGE sql AS $$
    INSERT INTO member_counts AS c (association_id, members)
    SELECT association_id, sum(change) FROM unnest(associations, changes) AS u(association_id, change)
    GROUP BY association_id HAVING sum(change) <> 0
    ORDER BY association_id
    ON CONFLICT (association_id) DO UPDATE SET members = c.members + EXCLUDED.members
  $$`);
  for (const [event, transitions] of [
    ['INSERT', 'NEW TABLE AS added'],
    ['UPDATE', 'OLD TABLE AS removed NEW TABLE AS added'],
    ['DELETE', 'OLD TABLE AS removed'],
  ] as const) {
    await knex.raw(`CREATE TRIGGER member_counts_${event.toLowerCase()} AFTER ${event} ON members REFERENCING ${transitions} FOR EACH STATEMENT EXECUTE FUNCTION member_counts_apply()`);
  }
  await knex.raw('CREATE TRIGGER member_counts_truncate AFTER TRUNCATE ON members FOR EACH STATEMENT EXECUTE FUNCTION member_counts_apply()');
  await knex.raw('INSERT INTO member_counts (association_id, members) SELECT association_id, count(*) FROM members GROUP BY association_id');
}

export async function down(knex: Knex): Promise<void> {
  for (const event of ['insert', 'update', 'delete', 'truncate']) await knex.raw(`DROP TRIGGER member_counts_${event} ON members`);
  await knex.raw('DROP FUNCTION member_counts_apply()');
  await knex.raw('DROP FUNCTION member_counts_add(integer[], integer[])');
  await knex.raw('DROP TABLE member_counts');
}
