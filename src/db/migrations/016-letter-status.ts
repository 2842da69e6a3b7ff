import type { Knex } from 'knex';

/**
 * Where members stand with the printed letter (issue #14), at 100,000 members:
 * - activation_codes_member_used: the member list's «Aktivointikirje» filter (src/letters/letter-status.ts)
 *   asks, per member, whether any code exists and whether one was used (an index-only probe); the
 *   member's own letters are read by it, and deleting a member finds its codes by it. The partial
 *   index of 014 holds outstanding codes only.
 * - activation_codes_ended: the retention purge (src/retention.ts purgeEndedActivationCodes) finds codes
 *   ended long enough ago by exactly this expression: keep the two identical.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE INDEX activation_codes_member_used ON activation_codes (member_id, used_at)');
  await knex.raw('CREATE INDEX activation_codes_ended ON activation_codes (LEAST(used_at, revoked_at, expires_at))');
}

export async function down(knex: Knex): Promise<void> {
  for (const index of ['activation_codes_ended', 'activation_codes_member_used']) await knex.raw(`DROP INDEX ${index}`);
}
