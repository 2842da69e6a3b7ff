import type { Knex } from 'knex';

/**
 * The member search and suggestions of a "user not found" case (src/cases/member-choices.ts) at 100,000
 * members: both compare the folded «first last» name (no case, no accents), and federation staff search
 * everyone. Without an index, every search read the whole register (≈ 80 ms a search, ≈ 150 ms a
 * suggestion). This pg_trgm index serves each typed word's `LIKE '%word%'` and the suggestions'
 * similarity `%`.
 * PostgreSQL uses an expression index only for the very same expression: this is `foldedName` of
 * member-choices.ts, character for character (translate() and lower() are immutable). Change both or
 * neither, the other with a migration of its own.
 */
const FOLDED_NAME = `translate(lower(first_name || ' ' || last_name), 'äöåéèüáà', 'aoaeeuaa')`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE INDEX members_folded_name_trgm ON members USING gin ((${FOLDED_NAME}) gin_trgm_ops)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX members_folded_name_trgm');
}
