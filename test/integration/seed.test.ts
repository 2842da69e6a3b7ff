import assert from 'node:assert/strict';
import { test } from 'node:test';
import { verifyPassword } from '../../src/passwords/hashing.js';
import { seedDemoData, SeedRefusedError } from '../../seeds/demo.js';
import { createTestDatabase } from '../helpers/database.js';

test('the demo seed loads exactly the documented set', async () => {
  const { db } = await createTestDatabase();
  await seedDemoData(db, { bcryptCost: 10 });

  const associations = await db('associations').orderBy('name').select('name', 'contact_email');
  assert.deepEqual(associations, [
    { name: 'Esimerkkilän Invalidit ry', contact_email: 'sihteeri@esimerkkila.example' },
    { name: 'Mallilan Invalidit ry', contact_email: 'sihteeri@mallila.example' },
  ]);

  const members = await db('members as m')
    .join('associations as a', 'a.id', 'm.association_id')
    .leftJoin('member_credentials as c', 'c.member_id', 'm.id')
    .orderBy('m.member_number')
    .select('m.member_number', 'm.first_name', 'm.last_name', 'm.email', 'a.name as association', 'm.membership_status', 'c.password_hash');
  assert.deepEqual(
    members.map(({ password_hash, ...m }) => ({ ...m, hasPassword: password_hash !== null })),
    [
      { member_number: '100001', first_name: 'Maija', last_name: 'Meikäläinen', email: 'maija.meikalainen@example.fi', association: 'Esimerkkilän Invalidit ry', membership_status: 'active', hasPassword: false },
      { member_number: '100002', first_name: 'Matti', last_name: 'Meikäläinen', email: 'maija.meikalainen@example.fi', association: 'Esimerkkilän Invalidit ry', membership_status: 'active', hasPassword: false },
      { member_number: '100003', first_name: 'Teemu', last_name: 'Testaaja', email: null, association: 'Esimerkkilän Invalidit ry', membership_status: 'active', hasPassword: false },
      { member_number: '200001', first_name: 'Liisa', last_name: 'Esimerkki', email: 'liisa.esimerkki@example.fi', association: 'Mallilan Invalidit ry', membership_status: 'active', hasPassword: true },
      { member_number: '200002', first_name: 'Pekka', last_name: 'Puuttuva', email: null, association: 'Mallilan Invalidit ry', membership_status: 'active', hasPassword: false },
      { member_number: '200003', first_name: 'Ulla', last_name: 'Ulkona', email: 'ulla.ulkona@example.fi', association: 'Mallilan Invalidit ry', membership_status: 'ended', hasPassword: false },
    ],
  );
  const liisa = members.find((m) => m.member_number === '200001')!;
  assert.equal(await verifyPassword('Liisan-salasana-2026', liisa.password_hash), true);

  const staff = await db('staff_users as s')
    .leftJoin('associations as a', 'a.id', 's.association_id')
    .join('staff_credentials as c', 'c.staff_user_id', 's.id')
    .orderBy('s.email')
    .select('s.email', 's.role', 'a.name as association', 's.active', 'c.password_hash');
  assert.deepEqual(
    staff.map(({ password_hash: _hash, ...s }) => s),
    [
      { email: 'jasenpalvelut@liitto.example', role: 'federation', association: null, active: true },
      { email: 'sihteeri@esimerkkila.example', role: 'association', association: 'Esimerkkilän Invalidit ry', active: true },
      { email: 'sihteeri@mallila.example', role: 'association', association: 'Mallilan Invalidit ry', active: true },
    ],
  );
  const passwords = ['Demo-jasenpalvelut-1', 'Demo-esimerkkila-1', 'Demo-mallila-1'];
  for (const [i, row] of staff.entries()) assert.equal(await verifyPassword(passwords[i]!, row.password_hash), true, row.email);
});

test('the demo seed refuses a register that has data, and --reset replaces it', async () => {
  const { db } = await createTestDatabase();
  await seedDemoData(db, { bcryptCost: 10 });
  await db('members').where({ member_number: '100003' }).update({ email: 'teemu@example.fi' });
  await assert.rejects(seedDemoData(db, { bcryptCost: 10 }), SeedRefusedError);

  await seedDemoData(db, { bcryptCost: 10, reset: true });
  assert.equal((await db('members').where({ member_number: '100003' }).first()).email, null);
  const counts = await db('member_counts as c').join('associations as a', 'a.id', 'c.association_id').orderBy('a.name').select('a.name', db.raw('c.members::int as members'));
  assert.deepEqual(counts, [{ name: 'Esimerkkilän Invalidit ry', members: 3 }, { name: 'Mallilan Invalidit ry', members: 3 }], 'the kept member counts start again with the register (TRUNCATE)');
  assert.equal(Number((await db('members').count({ n: '*' }).first())?.n), 6);
  const names = await db('member_last_names').orderBy(['association_id', 'last_name']).select('association_id', 'last_name', db.raw('members::int as n'));
  const counted = await db('members').groupBy('association_id', 'last_name').orderBy(['association_id', 'last_name']).select('association_id', 'last_name', db.raw('count(*)::int as n'));
  assert.deepEqual(names, counted, 'the kept last names start again with the register (TRUNCATE)');
});
