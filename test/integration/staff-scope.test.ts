import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { Db } from '../../src/db/connection.js';
import { linkableMembersByEmailQuery, type Member } from '../../src/members/register.js';
import { whyNoLink, whyNoLinkSql } from '../../src/passwords/link-eligibility.js';
import { asPrincipal, findActiveStaff, type StaffPrincipal } from '../../src/staff/principal.js';
import { restrictToStaff, type ScopedTable } from '../../src/staff/scope.js';
import { seedDemoData } from '../../seeds/demo.js';
import { demoIds } from '../helpers/admin-api.js';
import { createTestDatabase } from '../helpers/database.js';

/**
 * The one scope rule per table (src/staff/scope.ts) on the demo register, and the one rule of who
 * can get a link, computed in SQL and in code, agreeing on every combination.
 */
let db: Db;
let ids: Awaited<ReturnType<typeof demoIds>>;
let federation: StaffPrincipal;
let esimerkkila: StaffPrincipal;

before(async () => {
  ({ db } = await createTestDatabase());
  await seedDemoData(db, { bcryptCost: 10 });
  ids = await demoIds(db);
  federation = (await findActiveStaff(db, ids.staff('jasenpalvelut@liitto.example')))!;
  esimerkkila = (await findActiveStaff(db, ids.staff('sihteeri@esimerkkila.example')))!;
  // Something of each kind on both sides: mail, an audit row and a case for each association.
  for (const number of ['100001', '200001']) {
    const member = ids.member(number);
    const association = number.startsWith('1') ? ids.esimerkkila : ids.mallila;
    const [{ id }] = await db('mail_queue').insert({ template: 'password-changed', to_address: `${number}@example.fi`, language: 'fi' }).returning('id');
    await db('mail_queue_members').insert({ mail_id: id, member_id: member });
    await db('audit_log').insert({ actor_type: 'system', action: 'test', member_id: member });
    await db('not_found_cases').insert({ email_typed: `${number}@example.fi`, association_id: association });
  }
});

const TABLES: ScopedTable[] = ['members', 'associations', 'not_found_cases', 'mail_queue', 'audit_log', 'staff_users'];
const count = async (table: ScopedTable, staff: StaffPrincipal | undefined) => Number((await restrictToStaff(table, db(table), staff).count({ n: '*' }).first())!.n);

test('federation member services see every row of every table', async () => {
  for (const table of TABLES) assert.equal(await count(table, federation), Number((await db(table).count({ n: '*' }).first())!.n), table);
});

test('association staff see their own association and what concerns its members, and no staff accounts', async () => {
  const own = db('members').where({ association_id: ids.esimerkkila }).select('id');
  assert.equal(await count('members', esimerkkila), 3);
  assert.equal(await count('associations', esimerkkila), 1);
  assert.equal(await count('not_found_cases', esimerkkila), 1);
  assert.equal(await count('mail_queue', esimerkkila), Number((await db('mail_queue_members').whereIn('member_id', own).countDistinct({ n: 'mail_id' }).first())!.n));
  assert.equal(await count('audit_log', esimerkkila), Number((await db('audit_log').whereIn('member_id', own).count({ n: '*' }).first())!.n));
  assert.equal(await count('staff_users', esimerkkila), 0);
  const numbers = await restrictToStaff('members', db('members as m'), esimerkkila, 'm').orderBy('m.member_number').pluck('m.member_number');
  assert.deepEqual(numbers, ['100001', '100002', '100003']);
});

test('it fails closed: no principal, a malformed one, or association staff without an association see nothing', async () => {
  const malformed = [undefined, { ...esimerkkila, associationId: null }, { ...esimerkkila, role: 'admin' } as unknown as StaffPrincipal];
  for (const staff of malformed) {
    for (const table of TABLES) assert.equal(await count(table, staff as StaffPrincipal | undefined), 0, `${table} for ${JSON.stringify(staff)}`);
  }
  assert.equal(asPrincipal({ ...esimerkkila, associationId: null }), undefined, 'and such a principal is never built from a session');
});

test('who can get a link: the SQL and the code agree on every combination, and the portal lookup uses it', async () => {
  const liisa = ids.member('200001');
  const original = await db('members').where({ id: liisa }).first('email', 'membership_status');
  try {
    for (const membershipStatus of ['active', 'ended'] as const) {
      for (const email of [null, 'liisa.esimerkki@example.fi']) {
        await db('members').where({ id: liisa }).update({ email, membership_status: membershipStatus });
        const inSql = (await db('members as m').where('m.id', liisa).first(db.raw(`${whyNoLinkSql('m')} as why`))).why;
        const inCode = whyNoLink({ membershipStatus, email });
        assert.equal(inSql, inCode, `${membershipStatus}, ${email ?? 'no email'}`);
        const found: Member[] = await linkableMembersByEmailQuery(db, 'LIISA.esimerkki@example.fi ');
        assert.deepEqual(found.map((m) => m.memberNumber), inCode === null ? ['200001'] : [], `portal lookup: ${membershipStatus}, ${email}`);
      }
    }
  } finally {
    await db('members').where({ id: liisa }).update(original);
  }
});
