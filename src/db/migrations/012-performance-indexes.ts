import type { Knex } from 'knex';

/**
 * The back-office member list on 100,000 members (issue #12). Its default order is last name, then id
 * (admin/resources/members.ts, admin/scoped-resource.ts): without an index on exactly that, every
 * first page read and sorted the whole register (≈ 35–60 ms); with it, the first 10 rows are read in
 * order (< 1 ms). Searches by email, number and name already use the pg_trgm indexes of 003, which
 * agree with the adapter's `ILIKE '%…%'` (a prefix or lower() index would not, for a value in the middle).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE INDEX members_last_name_id ON members (last_name, id)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX members_last_name_id');
}
