import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { StaffClient } from '../helpers/admin-api.js';
import { ESIMERKKILA, FEDERATION } from '../helpers/demo-accounts.js';
import { startPortal, type Portal } from '../helpers/portal.js';

/**
 * A filtered list page is read from the matching rows and counted in the same statement
 * (admin/scoped-resource.ts), a search by last name from the names PostgreSQL keeps (migration 020):
 * its total, its page and its order are those of the plain queries, on any page (also past the
 * last), within the staff member's scope, right after members change.
 */
let portal: Portal;
before(async () => {
  portal = await startPortal();
  const association = await portal.db('staff_users').where({ email: ESIMERKKILA[0] }).first('association_id as id');
  // 25 Virtaset in Esimerkkilä, spread over the sort order like a common surname is.
  await portal.db('members').insert(
    Array.from({ length: 25 }, (_, i) => ({ member_number: String(900100 + i), first_name: `Etu${String(i).padStart(2, '0')}`, last_name: i % 2 ? 'Virtanen' : 'Virtanen-Aho', association_id: association.id, membership_status: 'active' })),
  );
});

const list = (client: StaffClient, query: string) => client.get(`/admin/api/resources/members/actions/list?${query}`);

test('a filtered list: the total of all matches, the page in the list\'s order, on every page', async () => {
  const federation = await StaffClient.login(portal.base, ...FEDERATION);
  const expected = await portal.db('members').whereILike('last_name', '%virtanen%').orderBy('last_name').orderBy('id').pluck('member_number');
  assert.equal(expected.length, 25);
  const seen: string[] = [];
  for (const page of [1, 2, 3]) {
    const answer = await list(federation, `filters.last_name=virtanen&page=${page}`);
    assert.equal(answer.status, 200);
    assert.equal(answer.json.meta.total, 25, `page ${page}`);
    seen.push(...answer.json.records.map((r: { params: { member_number: string } }) => r.params.member_number));
  }
  assert.deepEqual(seen, expected, 'every match once, in last name then id order');
  const past = await list(federation, 'filters.last_name=virtanen&page=9');
  assert.deepEqual([past.json.meta.total, past.json.records.length], [25, 0], 'past the last page the total is still counted');
  const none = await list(federation, 'filters.last_name=eiketaan');
  assert.deepEqual([none.json.meta.total, none.json.records.length], [0, 0]);
  const unfiltered = await list(federation, 'page=1');
  assert.equal(unfiltered.json.meta.total, Number((await portal.db('members').count({ n: '*' }).first())?.n));
  const esimerkkila = await StaffClient.login(portal.base, ...ESIMERKKILA);
  const own = await portal.db('members').whereIn('association_id', (q) => q.select('association_id').from('staff_users').where({ email: ESIMERKKILA[0] })).count({ n: '*' }).first();
  const ownUnfiltered = await list(esimerkkila, 'page=1&perPage=10');
  assert.deepEqual([ownUnfiltered.json.meta.total, ownUnfiltered.json.records.length], [Number(own?.n), Math.min(10, Number(own?.n))], 'the unfiltered total, in scope');
  const pastUnfiltered = await list(esimerkkila, 'page=99');
  assert.deepEqual([pastUnfiltered.json.meta.total, pastUnfiltered.json.records.length], [Number(own?.n), 0]);
});

test('a search by last name in another sort, and with a second filter, finds what the plain query finds', async () => {
  const federation = await StaffClient.login(portal.base, ...FEDERATION);
  const byNumber = await portal.db('members').whereILike('last_name', '%virtanen%').orderBy('member_number', 'desc').orderBy('id', 'desc').limit(10).pluck('member_number');
  const answer = await list(federation, 'filters.last_name=virtanen&sortBy=member_number&direction=desc&perPage=10');
  assert.deepEqual([answer.json.meta.total, answer.json.records.map((r: { params: { member_number: string } }) => r.params.member_number)], [25, byNumber]);
  const both = await list(federation, 'filters.last_name=virtanen&filters.first_name=etu1');
  const expected = await portal.db('members').whereILike('last_name', '%virtanen%').whereILike('first_name', '%etu1%').orderBy('last_name').orderBy('id').pluck('member_number');
  assert.deepEqual([both.json.meta.total, both.json.records.map((r: { params: { member_number: string } }) => r.params.member_number)], [expected.length, expected]);
  const wildcard = await list(federation, 'filters.last_name=%25');
  assert.deepEqual([wildcard.json.meta.total, wildcard.json.records.length], [0, 0], 'a % typed is a character, not a wildcard');
});

test('a filtered list counts only what the staff member may see', async () => {
  const esimerkkila = await StaffClient.login(portal.base, ...ESIMERKKILA);
  const own = await portal.db('members as m').whereILike('m.first_name', '%a%').whereIn('m.association_id', (q) => q.select('association_id').from('staff_users').where({ email: ESIMERKKILA[0] })).count({ n: '*' }).first();
  const answer = await list(esimerkkila, 'filters.first_name=a');
  assert.equal(answer.json.meta.total, Number(own?.n));
  assert.ok(answer.json.meta.total < Number((await portal.db('members').whereILike('first_name', '%a%').count({ n: '*' }).first())?.n), 'fewer than in the whole register');
  // A last name both associations have: only the staff member's own count, on every page.
  const shared = 'Jaettunen';
  const associations = await portal.db('associations').orderBy('id').pluck('id');
  await portal.db('members').insert(Array.from({ length: 6 }, (_, i) => ({ member_number: String(900200 + i), first_name: 'Jaettu', last_name: shared, association_id: associations[i % associations.length], membership_status: 'active' })));
  const ownByName = await portal.db('members as m').where('m.last_name', shared).whereIn('m.association_id', (q) => q.select('association_id').from('staff_users').where({ email: ESIMERKKILA[0] })).orderBy('m.id').pluck('member_number');
  const byName = await list(esimerkkila, `filters.last_name=${encodeURIComponent(shared)}&perPage=500`);
  assert.deepEqual([byName.json.meta.total, byName.json.records.map((r: { params: { member_number: string } }) => r.params.member_number)], [ownByName.length, ownByName]);
  const past = await list(esimerkkila, `filters.last_name=${encodeURIComponent(shared)}&page=99`);
  assert.deepEqual([past.json.meta.total, past.json.records.length], [ownByName.length, 0], 'past the last page, counted from the kept names');
});

test('the unfiltered total comes from counts PostgreSQL keeps per association, right after members are added, moved, removed and re-seeded', async () => {
  const federation = await StaffClient.login(portal.base, ...FEDERATION);
  const esimerkkila = await StaffClient.login(portal.base, ...ESIMERKKILA);
  const own = await portal.db('staff_users').where({ email: ESIMERKKILA[0] }).first('association_id as id');
  const other = await portal.db('associations').whereNot({ id: own.id }).orderBy('id').first('id');
  const kept = async () => Object.fromEntries((await portal.db('member_counts').select('association_id', 'members')).map((r) => [r.association_id, Number(r.members)]));
  const counted = async () => Object.fromEntries((await portal.db('members').groupBy('association_id').select('association_id', portal.db.raw('count(*)::int as n'))).map((r) => [r.association_id, r.n]));
  const keptNames = async () => (await portal.db('member_last_names').orderBy(['association_id', 'last_name']).select('association_id', 'last_name', portal.db.raw('members::int as n')));
  const countedNames = async () => portal.db('members').groupBy('association_id', 'last_name').orderBy(['association_id', 'last_name']).select('association_id', 'last_name', portal.db.raw('count(*)::int as n'));
  const totals = async () => [(await list(federation, 'page=1')).json.meta.total, (await list(esimerkkila, 'page=1')).json.meta.total];
  const expectTotals = async (step: string) => {
    assert.deepEqual(await kept(), await counted(), step);
    assert.deepEqual(await keptNames(), await countedNames(), `${step}: the last names`);
    const lukunen = Number((await portal.db('members').whereILike('last_name', '%lukunen%').count({ n: '*' }).first())?.n);
    assert.equal((await list(federation, 'filters.last_name=lukunen')).json.meta.total, lukunen, `${step}: the search by last name`);
    const all = Number((await portal.db('members').count({ n: '*' }).first())?.n);
    const mine = Number((await portal.db('members').where({ association_id: own.id }).count({ n: '*' }).first())?.n);
    assert.deepEqual(await totals(), [all, mine], `${step}: the list's totals`);
  };
  await expectTotals('as migrated and seeded');
  const added = await portal.db('members').insert(Array.from({ length: 40 }, (_, i) => ({ member_number: String(900300 + i), first_name: 'Laskettava', last_name: 'Lukunen', association_id: i % 2 ? own.id : other.id, membership_status: 'active' }))).returning('id');
  await expectTotals('40 added in one statement, to two associations');
  await portal.db('members').whereIn('id', added.slice(0, 10).map((r) => r.id)).update({ association_id: own.id });
  await expectTotals('moved to one association');
  await portal.db('members').whereIn('id', added.slice(0, 10).map((r) => r.id)).update({ email: null });
  await expectTotals('changed without a move');
  await portal.db('members').whereIn('id', added.slice(0, 5).map((r) => r.id)).update({ last_name: 'Lukunen-Uusi' });
  await expectTotals('renamed');
  await portal.db.transaction(async (trx) => {
    await trx('members').whereIn('id', added.map((r) => r.id)).delete();
    throw new Error('rolled back');
  }).catch(() => undefined);
  await expectTotals('a removal rolled back');
  await portal.db('members').whereIn('id', added.map((r) => r.id)).delete();
  await expectTotals('removed');
});

test("a member's association reaches the list as the link the list shows: its name, and its show action; the row, the actions it uses", async () => {
  const federation = await StaffClient.login(portal.base, ...FEDERATION);
  const answer = await list(federation, 'filters.last_name=virtanen&perPage=1');
  const [record] = answer.json.records;
  const association = await portal.db('associations').where({ id: record.params.association_id }).first('id', 'name');
  assert.deepEqual(record.populated.association_id, {
    params: {},
    populated: {},
    baseError: null,
    errors: {},
    id: association.id,
    title: association.name,
    recordActions: [record.populated.association_id.recordActions[0]],
    bulkActions: [],
  });
  assert.deepEqual(record.populated.association_id.recordActions.map((a: { name: string }) => a.name), ['show']);
  // The row's own actions: those a row uses (its link); its page loads the record with all of them (admin/list-answer.ts).
  assert.deepEqual(record.recordActions.map((a: { name: string }) => a.name), ['show', 'edit']);
  assert.deepEqual(record.bulkActions.map((a: { name: string }) => a.name), ['bulkSendLink', 'bulkPrintLetters'], 'the bulk actions the chosen rows offer');
  const page = await federation.get(`/admin/api/resources/members/records/${record.id}/show`);
  assert.deepEqual(page.json.record.recordActions.map((a: { name: string }) => a.name), ['show', 'edit', 'sendLink', 'mailStatus', 'printLetter']);
});

test('a search by email finds the address, and its statement can be served by the GiST trigram index (migration 022) as well as the GIN one', async () => {
  const federation = await StaffClient.login(portal.base, ...FEDERATION);
  const searches: Array<{ sql: string; bindings: unknown[] }> = [];
  const listen = (query: { sql: string; bindings?: unknown[] }) => {
    if (/"email" ilike/i.test(query.sql)) searches.push({ sql: query.sql, bindings: query.bindings ?? [] });
  };
  portal.db.on('query', listen);
  let answer;
  try {
    answer = await list(federation, `filters.email=${encodeURIComponent('maija.meikalainen@example.fi')}`);
  } finally {
    portal.db.off('query', listen);
  }
  const sharing = await portal.db('members').where({ email: 'maija.meikalainen@example.fi' }).orderBy('last_name').orderBy('id').pluck('member_number');
  assert.ok(sharing.length > 0);
  assert.deepEqual(answer.json.records.map((r: { params: { member_number: string } }) => r.params.member_number), sharing, 'every member with the address');
  assert.equal(searches.length, 1, 'one statement');
  // A few demo members are read fastest by reading them all: forbid that, and the GIN index, to see
  // whether the GiST index can serve the query, as the planner has it do at 100,000 members.
  const trx = await portal.db.transaction();
  let plan: string;
  try {
    await trx.raw('SET LOCAL enable_seqscan = off');
    await trx.raw('DROP INDEX members_email_trgm');
    const result = await trx.raw(`EXPLAIN ${searches[0]!.sql.replace(/\$\d+/g, '?')}`, searches[0]!.bindings as never);
    plan = result.rows.map((row: { 'QUERY PLAN': string }) => row['QUERY PLAN']).join('\n');
  } finally {
    await trx.rollback();
  }
  assert.match(plan, /members_email_trgm_gist/, plan);
});
