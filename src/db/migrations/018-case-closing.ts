import type { Knex } from 'knex';

/**
 * A "user not found" case that no member can be given (the address is nobody's, the membership has
 * ended, it was sorted out some other way) is closed without a link (src/cases/close-case.ts): it
 * ends like a resolved case (resolved_at, resolved_by), with no member and the reason staff chose.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE not_found_cases ADD COLUMN closed_reason text
    CHECK (closed_reason IN ('not-member', 'membership-ended', 'handled-otherwise'))`);
  await knex.raw(`ALTER TABLE not_found_cases ADD CONSTRAINT not_found_cases_closed_when_resolved
    CHECK (closed_reason IS NULL OR (resolved_at IS NOT NULL AND resolved_member_id IS NULL))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE not_found_cases DROP COLUMN closed_reason');
}
