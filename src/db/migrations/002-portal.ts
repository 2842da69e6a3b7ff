import type { Knex } from 'knex';

/**
 * What the member portal needs besides the register: the mail queue, set-password links (hashes
 * only), "user not found" cases, sessions, rate-limit counters, the audit log and the development
 * mailbox. All state lives here, so any number of app processes can share it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('mail_queue', (t) => {
    t.bigIncrements('id');
    t.text('template').notNullable();
    t.text('to_address').notNullable();
    t.text('language').notNullable();
    t.jsonb('data').notNullable().defaultTo('{}'); // never a token or a password
    t.text('status').notNullable().defaultTo('queued');
    t.integer('attempts').notNullable().defaultTo(0);
    t.timestamp('next_attempt_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('locked_until', { useTz: true });
    t.text('last_error');
    t.timestamp('sent_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`
    ALTER TABLE mail_queue
      ADD CONSTRAINT mail_queue_status_allowed CHECK (status IN ('queued', 'sending', 'sent', 'retrying', 'failed')),
      ADD CONSTRAINT mail_queue_language_allowed CHECK (language IN ('fi', 'sv', 'en')),
      ADD CONSTRAINT mail_queue_template_allowed CHECK (template IN ('set-password-link', 'password-changed', 'staff-invitation'))`);
  await knex.raw(`CREATE INDEX mail_queue_due ON mail_queue (next_attempt_at) WHERE status IN ('queued', 'retrying', 'sending')`);

  // Which members a mail concerns: per-member mail status for staff, and the per-member send limit.
  await knex.schema.createTable('mail_queue_members', (t) => {
    t.bigInteger('mail_id').notNullable().references('mail_queue.id').onDelete('CASCADE');
    t.integer('member_id').notNullable().references('members.id').onDelete('CASCADE');
    t.primary(['mail_id', 'member_id']);
    t.index(['member_id']);
  });

  await knex.schema.createTable('set_password_links', (t) => {
    t.bigIncrements('id');
    t.binary('token_hash').notNullable().unique(); // SHA-256 of the token; the token itself is never stored
    t.integer('member_id').references('members.id').onDelete('CASCADE');
    t.integer('staff_user_id').references('staff_users.id').onDelete('CASCADE');
    t.bigInteger('mail_id').references('mail_queue.id').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('used_at', { useTz: true });
    t.timestamp('revoked_at', { useTz: true });
    t.text('revoked_reason');
  });
  await knex.raw(`
    ALTER TABLE set_password_links
      ADD CONSTRAINT links_one_owner CHECK ((member_id IS NULL) <> (staff_user_id IS NULL)),
      ADD CONSTRAINT links_revoked_reason_allowed CHECK (revoked_reason IS NULL OR revoked_reason IN ('password-set', 'not-delivered', 'account-changed'))`);
  await knex.raw('CREATE INDEX links_member_outstanding ON set_password_links (member_id) WHERE used_at IS NULL AND revoked_at IS NULL');
  await knex.raw('CREATE INDEX links_staff_outstanding ON set_password_links (staff_user_id) WHERE used_at IS NULL AND revoked_at IS NULL');

  await knex.schema.createTable('not_found_cases', (t) => {
    t.bigIncrements('id');
    t.text('email_typed').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('resolved_at', { useTz: true });
    t.index(['created_at']);
  });

  for (const table of ['member_sessions', 'staff_sessions']) {
    // The layout connect-pg-simple expects.
    await knex.schema.createTable(table, (t) => {
      t.string('sid').primary();
      t.json('sess').notNullable();
      t.timestamp('expire', { precision: 6 }).notNullable().index();
    });
  }
  await knex.raw(`CREATE INDEX member_sessions_member ON member_sessions (((sess->>'memberId')::int))`);

  // The layout rate-limiter-flexible's PostgreSQL store expects.
  await knex.schema.createTable('rate_limits', (t) => {
    t.string('key', 255).primary();
    t.integer('points').notNullable().defaultTo(0);
    t.bigInteger('expire');
  });

  await knex.schema.createTable('audit_log', (t) => {
    t.bigIncrements('id');
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('actor_type').notNullable();
    t.integer('actor_id');
    t.text('action').notNullable();
    t.integer('member_id').references('members.id').onDelete('SET NULL');
    t.jsonb('details').notNullable().defaultTo('{}');
    t.index(['member_id', 'at']);
    t.index(['at']);
  });
  await knex.raw(`ALTER TABLE audit_log ADD CONSTRAINT audit_actor_allowed CHECK (actor_type IN ('member', 'staff', 'public', 'system'))`);

  // Only written when no SMTP_URL is set outside production: the mail a developer would have received.
  await knex.schema.createTable('dev_mailbox', (t) => {
    t.bigIncrements('id');
    t.text('to_address').notNullable();
    t.text('subject').notNullable();
    t.text('text').notNullable();
    t.text('html').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['dev_mailbox', 'audit_log', 'rate_limits', 'staff_sessions', 'member_sessions', 'not_found_cases', 'set_password_links', 'mail_queue_members', 'mail_queue']) {
    await knex.schema.dropTable(table);
  }
}
