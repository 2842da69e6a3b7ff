import type { Knex } from 'knex';

/**
 * A member's language is "not chosen" (NULL) until the member or staff choose one: a Swedish speaker
 * who never chose one used to be stored as Finnish and got Finnish mail when ordering from the Swedish
 * page. Existing values stay as they are (a stored 'fi' cannot be told from a default one).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE members ALTER COLUMN preferred_language DROP NOT NULL, ALTER COLUMN preferred_language DROP DEFAULT');
}

export async function down(knex: Knex): Promise<void> {
  await knex('members').whereNull('preferred_language').update({ preferred_language: 'fi' });
  await knex.raw(`ALTER TABLE members ALTER COLUMN preferred_language SET DEFAULT 'fi', ALTER COLUMN preferred_language SET NOT NULL`);
}
