import type { Knex } from 'knex';

/**
 * Each association's members' last names, each with how many members have it, kept by the database
 * as members are added, renamed, moved and removed (the same statement-level triggers as
 * member_counts, migration 019). A search by last name matches these few thousand names instead of
 * the members themselves: «Virtanen» is 4 % of a register, and finding and counting its 4,288 rows
 * read 1,660 of the members table's 1,850 pages (~6 ms) where the names take 0.5 ms; the page is
 * then read from the (last_name, id) index by the exact names (src/members/member-counts.ts).
 *
 * A name's row goes when its last member does, so the names table holds only names in use.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE TABLE member_last_names (
    association_id integer NOT NULL REFERENCES associations(id) ON DELETE CASCADE,
    last_name text NOT NULL,
    members bigint NOT NULL,
    PRIMARY KEY (association_id, last_name))`);
  // PL/pgSQL plans a statement when it first runs it, so each branch names only the transition
  // tables its own event has.
  await knex.raw(`CREATE FUNCTION member_last_names_apply() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM member_last_names;
      ELSIF TG_OP = 'INSERT' THEN
        PERFORM member_last_names_add(array_agg(association_id), array_agg(last_name), array_agg(1)) FROM added;
      ELSIF TG_OP = 'DELETE' THEN
        PERFORM member_last_names_add(array_agg(association_id), array_agg(last_name), array_agg(-1)) FROM removed;
      ELSE
        PERFORM member_last_names_add(array_agg(association_id), array_agg(last_name), array_agg(change)) FROM (
          SELECT association_id, last_name, 1 AS change FROM added UNION ALL SELECT association_id, last_name, -1 FROM removed) AS changes;
      END IF;
      RETURN NULL;
    END $$`);
  // In key order, so that two imports into the same associations wait for each other instead of
  // deadlocking. A name whose count reached 0 goes in a second statement, which sees the first's
  // change (one statement cannot: its parts share a snapshot); only removals can bring a count to 0.
  await knex.raw(`CREATE FUNCTION member_last_names_add(associations integer[], names text[], changes integer[]) RETURNS void LANGUAGE sql AS $$
    INSERT INTO member_last_names AS n (association_id, last_name, members)
    SELECT association_id, last_name, sum(change) FROM unnest(associations, names, changes) AS u(association_id, last_name, change)
    GROUP BY association_id, last_name HAVING sum(change) <> 0
    ORDER BY association_id, last_name
    ON CONFLICT (association_id, last_name) DO UPDATE SET members = n.members + EXCLUDED.members;
    DELETE FROM member_last_names AS n
    USING (SELECT DISTINCT association_id, last_name FROM unnest(associations, names, changes) AS u(association_id, last_name, change) WHERE change < 0) AS removed
    WHERE n.members = 0 AND n.association_id = removed.association_id AND n.last_name = removed.last_name;
  $$`);
  for (const [event, transitions] of [
    ['INSERT', 'NEW TABLE AS added'],
    ['UPDATE', 'OLD TABLE AS removed NEW TABLE AS added'],
    ['DELETE', 'OLD TABLE AS removed'],
  ] as const) {
    await knex.raw(`CREATE TRIGGER member_last_names_${event.toLowerCase()} AFTER ${event} ON members REFERENCING ${transitions} FOR EACH STATEMENT EXECUTE FUNCTION member_last_names_apply()`);
  }
  await knex.raw('CREATE TRIGGER member_last_names_truncate AFTER TRUNCATE ON members FOR EACH STATEMENT EXECUTE FUNCTION member_last_names_apply()');
  await knex.raw('INSERT INTO member_last_names (association_id, last_name, members) SELECT association_id, last_name, count(*) FROM members GROUP BY association_id, last_name');
  // Built after the names are in (not from GIN's list of pending entries, which each search reads through),
  // and counted, so that the first searches already use it.
  await knex.raw('CREATE INDEX member_last_names_trgm ON member_last_names USING gin (last_name gin_trgm_ops)');
  await knex.raw('ANALYZE member_last_names');
}

export async function down(knex: Knex): Promise<void> {
  for (const event of ['insert', 'update', 'delete', 'truncate']) await knex.raw(`DROP TRIGGER member_last_names_${event} ON members`);
  await knex.raw('DROP FUNCTION member_last_names_apply()');
  await knex.raw('DROP FUNCTION member_last_names_add(integer[], text[], integer[])');
  await knex.raw('DROP TABLE member_last_names');
}
