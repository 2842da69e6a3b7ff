import type { Knex } from 'knex';

const TEMPLATES = `'set-password-link', 'password-changed', 'staff-invitation', 'staff-password-reset'`;
const REASONS = `'password-set', 'not-delivered', 'account-changed'`;

/**
 * A reminder before a first-time link runs out (issue #14, src/passwords/link-reminders.ts):
 * - associations.link_reminders: federation staff turn the reminders off for an association.
 * - set_password_links.reminder_for: the link a reminder's fresh link replaces. UNIQUE, so that the
 *   database itself holds one reminder per link, whichever process and however often it tries. Not a
 *   foreign key: the retention purge removes the old link LINK_RETENTION_DAYS after it was revoked (1 at
 *   the least), possibly while the reminder's link still works, and the reference must outlive it — it
 *   is what keeps a reminder's own link from being reminded (link ids are never reused).
 * - A reminder's link is made with the reminder and gets its token only when its mail is built for
 *   sending (as every link does: no token waits in the queue), so until then its token_hash is NULL.
 * - The old link is revoked as 'reminded'; the mail is of its own kind, 'link-reminder'.
 * - links_reminder_due: the worker finds links nearing their end by expires_at among outstanding
 *   member links only, rather than reading every link at 100,000 members once a minute;
 *   links_member_newest: "is this the member's newest link?" without reading all their links.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE associations ADD COLUMN link_reminders boolean NOT NULL DEFAULT true');
  await knex.raw(`
    ALTER TABLE set_password_links
      ADD COLUMN reminder_for bigint,
      ADD CONSTRAINT links_one_reminder_per_link UNIQUE (reminder_for),
      ALTER COLUMN token_hash DROP NOT NULL,
      ADD CONSTRAINT links_token_unless_reminder CHECK (token_hash IS NOT NULL OR reminder_for IS NOT NULL),
      DROP CONSTRAINT links_revoked_reason_allowed,
      ADD CONSTRAINT links_revoked_reason_allowed CHECK (revoked_reason IS NULL OR revoked_reason IN (${REASONS}, 'reminded'))`);
  await knex.raw(`ALTER TABLE mail_queue DROP CONSTRAINT mail_queue_template_allowed,
    ADD CONSTRAINT mail_queue_template_allowed CHECK (template IN (${TEMPLATES}, 'link-reminder'))`);
  await knex.raw(`CREATE INDEX links_reminder_due ON set_password_links (expires_at)
    WHERE used_at IS NULL AND revoked_at IS NULL AND reminder_for IS NULL AND member_id IS NOT NULL`);
  await knex.raw('CREATE INDEX links_member_newest ON set_password_links (member_id, id)');
}

/** Reminders cannot be told apart once their columns go: their mail and links (all ended or about to) are removed. */
export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX links_member_newest');
  await knex.raw('DROP INDEX links_reminder_due');
  await knex('mail_queue').where({ template: 'link-reminder' }).delete();
  await knex('set_password_links').whereNotNull('reminder_for').orWhere({ revoked_reason: 'reminded' }).delete();
  await knex.raw(`ALTER TABLE mail_queue DROP CONSTRAINT mail_queue_template_allowed,
    ADD CONSTRAINT mail_queue_template_allowed CHECK (template IN (${TEMPLATES}))`);
  await knex.raw(`
    ALTER TABLE set_password_links
      DROP CONSTRAINT links_revoked_reason_allowed,
      ADD CONSTRAINT links_revoked_reason_allowed CHECK (revoked_reason IS NULL OR revoked_reason IN (${REASONS})),
      DROP CONSTRAINT links_token_unless_reminder,
      ALTER COLUMN token_hash SET NOT NULL,
      DROP COLUMN reminder_for`);
  await knex.raw('ALTER TABLE associations DROP COLUMN link_reminders');
}
