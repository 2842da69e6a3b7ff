import type { Knex } from 'knex';

/**
 * The member register: associations, members, staff users, and their password hashes in tables
 * of their own so that the back-office never has to expose them.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('associations', (t) => {
    t.increments('id');
    t.text('name').notNullable().unique();
    t.text('contact_email').notNullable();
    t.text('contact_phone');
    t.timestamps(true, true);
  });
  await knex.raw(`ALTER TABLE associations ADD CONSTRAINT associations_name_not_blank CHECK (btrim(name) <> '')`);

  await knex.schema.createTable('members', (t) => {
    t.increments('id');
    t.text('member_number').notNullable().unique();
    t.text('first_name').notNullable();
    t.text('last_name').notNullable();
    t.text('email'); // stored as typed; several members may share one address
    t.integer('association_id').notNullable().references('associations.id').onDelete('RESTRICT');
    t.text('membership_status').notNullable().defaultTo('active');
    t.text('preferred_language').notNullable().defaultTo('fi');
    t.timestamps(true, true);
    t.index(['association_id']);
  });
  await knex.raw(`
    ALTER TABLE members
      ADD CONSTRAINT members_number_digits CHECK (member_number ~ '^[0-9]{1,12}$'),
      ADD CONSTRAINT members_names_not_blank CHECK (btrim(first_name) <> '' AND btrim(last_name) <> ''),
      ADD CONSTRAINT members_email_shape CHECK (email IS NULL OR (email = btrim(email) AND email ~ '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$')),
      ADD CONSTRAINT members_status_allowed CHECK (membership_status IN ('active', 'ended')),
      ADD CONSTRAINT members_language_allowed CHECK (preferred_language IN ('fi', 'sv', 'en'))`);
  await knex.raw('CREATE INDEX members_email_lower ON members (lower(email)) WHERE email IS NOT NULL');

  await knex.schema.createTable('staff_users', (t) => {
    t.increments('id');
    t.text('email').notNullable();
    t.text('name').notNullable();
    t.text('role').notNullable();
    t.integer('association_id').references('associations.id').onDelete('RESTRICT');
    t.boolean('active').notNullable().defaultTo(true);
    t.timestamps(true, true);
  });
  await knex.raw(`
    ALTER TABLE staff_users
      ADD CONSTRAINT staff_role_allowed CHECK (role IN ('federation', 'association')),
      ADD CONSTRAINT staff_association_matches_role CHECK ((role = 'association') = (association_id IS NOT NULL)),
      ADD CONSTRAINT staff_email_shape CHECK (email = btrim(email) AND email ~ '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$'),
      ADD CONSTRAINT staff_name_not_blank CHECK (btrim(name) <> '')`);
  await knex.raw('CREATE UNIQUE INDEX staff_users_email_unique ON staff_users (lower(email))');

  await knex.schema.createTable('member_credentials', (t) => {
    t.integer('member_id').primary().references('members.id').onDelete('CASCADE');
    t.text('password_hash').notNullable();
    t.timestamp('password_changed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.createTable('staff_credentials', (t) => {
    t.integer('staff_user_id').primary().references('staff_users.id').onDelete('CASCADE');
    t.text('password_hash').notNullable();
    t.timestamp('password_changed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('staff_credentials');
  await knex.schema.dropTable('member_credentials');
  await knex.schema.dropTable('staff_users');
  await knex.schema.dropTable('members');
  await knex.schema.dropTable('associations');
}
