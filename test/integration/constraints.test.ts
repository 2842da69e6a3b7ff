import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { Db } from '../../src/db/connection.js';
import { createTestDatabase } from '../helpers/database.js';

let db: Db;
let associationId: number;
const member = (overrides: Record<string, unknown> = {}) => ({
  member_number: '123456', first_name: 'Aino', last_name: 'Virtanen', email: 'aino@example.fi', association_id: associationId, ...overrides,
});

before(async () => {
  ({ db } = await createTestDatabase());
  [{ id: associationId }] = await db('associations').insert({ name: 'Testilän Invalidit ry', contact_email: 'x@testila.example' }).returning('id');
  await db('members').insert(member());
});

const refuses = (promise: Promise<unknown>, code: string, constraint?: string) =>
  assert.rejects(promise, (error: { code?: string; constraint?: string }) => {
    assert.equal(error.code, code);
    if (constraint) assert.equal(error.constraint, constraint);
    return true;
  });

test('member numbers are unique and digits only', async () => {
  await refuses(db('members').insert(member({ email: null })), '23505');
  await refuses(db('members').insert(member({ member_number: '12a4' })), '23514', 'members_number_digits');
  await refuses(db('members').insert(member({ member_number: '' })), '23514', 'members_number_digits');
});

test('several members may share an email address, but it must look like one', async () => {
  await db('members').insert(member({ member_number: '123457' }));
  await refuses(db('members').insert(member({ member_number: '123458', email: 'not-an-address' })), '23514', 'members_email_shape');
  await refuses(db('members').insert(member({ member_number: '123459', email: ' aino@example.fi' })), '23514', 'members_email_shape');
});

test('membership status, language and association are restricted', async () => {
  await refuses(db('members').insert(member({ member_number: '223456', membership_status: 'paused' })), '23514', 'members_status_allowed');
  await refuses(db('members').insert(member({ member_number: '223457', preferred_language: 'de' })), '23514', 'members_language_allowed');
  await refuses(db('members').insert(member({ member_number: '223458', association_id: 999999 })), '23503');
  await refuses(db('members').insert(member({ member_number: '223459', first_name: '  ' })), '23514', 'members_names_not_blank');
  await refuses(db('associations').where({ id: associationId }).delete(), '23503');
});

test('staff emails are unique case-insensitively, and association staff need an association', async () => {
  await db('staff_users').insert({ email: 'Staff@Example.fi', name: 'Staff', role: 'federation' });
  await refuses(db('staff_users').insert({ email: 'staff@example.FI', name: 'Other', role: 'federation' }), '23505', 'staff_users_email_unique');
  await refuses(db('staff_users').insert({ email: 'a@example.fi', name: 'A', role: 'association' }), '23514', 'staff_association_matches_role');
  await refuses(db('staff_users').insert({ email: 'b@example.fi', name: 'B', role: 'federation', association_id: associationId }), '23514', 'staff_association_matches_role');
  await refuses(db('staff_users').insert({ email: 'c@example.fi', name: 'C', role: 'admin' }), '23514', 'staff_role_allowed');
});

test('credentials belong to an existing member and go with it', async () => {
  await refuses(db('member_credentials').insert({ member_id: 999999, password_hash: 'x' }), '23503');
  const [{ id }] = await db('members').insert(member({ member_number: '323456' })).returning('id');
  await db('member_credentials').insert({ member_id: id, password_hash: 'x' });
  await refuses(db('member_credentials').insert({ member_id: id, password_hash: 'y' }), '23505');
  await db('members').where({ id }).delete();
  assert.equal(await db('member_credentials').where({ member_id: id }).first(), undefined);
});
