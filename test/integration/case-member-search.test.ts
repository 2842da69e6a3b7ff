import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { associationSecrets, demoIds, StaffClient } from '../helpers/admin-api.js';
import { ESIMERKKILA, FEDERATION, MALLILA } from '../helpers/demo-accounts.js';
import { type Portal, startPortal } from '../helpers/portal.js';

/**
 * The member search of the "user not found" case's resolve form (src/cases/member-choices.ts
 * searchMembersForCase): staff type names as they heard or read them — without the accents, surname
 * first, with a comma — and find the member; a number still finds by member number; association
 * staff never find another association's member, however the name is spelled.
 * Demo data: Maija (100001) and Matti (100002) Meikäläinen of Esimerkkilä, Pekka Puuttuva (200002) of Mallila.
 */
let portal: Portal;
let ids: Awaited<ReturnType<typeof demoIds>>;
let federation: StaffClient;

before(async () => {
  portal = await startPortal();
  ids = await demoIds(portal.db);
  federation = await StaffClient.login(portal.base, ...FEDERATION);
});

async function openCase(address: string, associationId: number | null): Promise<number> {
  const [{ id }] = await portal.db('not_found_cases').insert({ email_typed: address, association_id: associationId }).returning('id');
  return Number(id);
}

const find = (client: StaffClient, caseId: number, q: string) => client.get(`/admin/api/resources/not_found_cases/records/${caseId}/findMembers?q=${encodeURIComponent(q)}`);
async function numbers(client: StaffClient, caseId: number, q: string): Promise<string[]> {
  const answer = await find(client, caseId, q);
  assert.equal(answer.status, 200, q);
  assert.ok(Array.isArray(answer.json.choices), `${q}: ${answer.text.slice(0, 300)}`);
  return answer.json.choices.map((c: { memberNumber: string }) => c.memberNumber);
}

const MATTI = ['Matti Meikäläinen', 'Matti Meikalainen', 'Meikäläinen Matti', 'meikalainen matti', 'MEIKÄLÄINEN, MATTI', ' Meikalainen,Matti ', 'Mat Meik'];
const PEKKA = ['Pekka Puuttuva', 'Puuttuva Pekka', 'puuttuva, pekka', 'PEKKA   PUUTTUVA', 'Puut Pek'];

test('federation staff find a member by name without case or accents, in any word order', async () => {
  const caseId = await openCase('haku.liitto@example.fi', null);
  for (const q of MATTI) assert.deepEqual(await numbers(federation, caseId, q), ['100002'], q);
  for (const q of PEKKA) assert.deepEqual(await numbers(federation, caseId, q), ['200002'], q);
  assert.deepEqual(await numbers(federation, caseId, 'Meikalainen'), ['100001', '100002'], 'one word: both, last name, first name order');
  assert.deepEqual(await numbers(federation, caseId, 'Matti Puuttuva'), [], 'every word must be in the same name');
  assert.deepEqual(await numbers(federation, caseId, 'Meikäläinen Pekka'), []);
  assert.deepEqual(await numbers(federation, caseId, '100%'), [], 'LIKE wildcards are text');
  assert.deepEqual(await numbers(federation, caseId, 'M_tti'), []);
});

test('a number finds by member number; an address or a single word also by the address', async () => {
  const caseId = await openCase('haku.numero@example.fi', null);
  assert.deepEqual(await numbers(federation, caseId, '100002'), ['100002']);
  assert.deepEqual(await numbers(federation, caseId, '2000'), ['200001', '200002', '200003']);
  assert.deepEqual(await numbers(federation, caseId, ' 10000 '), ['100001', '100002', '100003']);
  assert.deepEqual(await numbers(federation, caseId, 'liisa.esim'), ['200001'], 'part of an address');
  assert.deepEqual(await numbers(federation, caseId, 'ulla.ulkona@example.fi'), ['200003'], 'a whole address');
  assert.deepEqual(await numbers(federation, caseId, 'x'), [], 'too short to search');
});

test('association staff find their own members by any spelling, and never another association\'s', async () => {
  const esimerkkilaCase = await openCase('haku.esimerkkila@example.fi', ids.esimerkkila);
  const mallilaCase = await openCase('haku.mallila@example.fi', ids.mallila);
  // Every answer to Esimerkkilä's staff is checked for anything of Mallila, and the other way round.
  const esimerkkila = await StaffClient.login(portal.base, ...ESIMERKKILA, await associationSecrets(portal.db, ids.mallila));
  const mallila = await StaffClient.login(portal.base, ...MALLILA, await associationSecrets(portal.db, ids.esimerkkila));

  for (const q of MATTI) assert.deepEqual(await numbers(esimerkkila, esimerkkilaCase, q), ['100002'], `own member: ${q}`);
  for (const q of PEKKA) assert.deepEqual(await numbers(mallila, mallilaCase, q), ['200002'], `own member: ${q}`);

  for (const q of [...PEKKA, 'Puuttuva', 'puuttuva', '200002', '2000', 'pekka', 'liisa.esimerkki@example.fi', 'liisa.esim', 'Ulkona']) {
    assert.deepEqual(await numbers(esimerkkila, esimerkkilaCase, q), [], `not another association's member: ${q}`);
  }
  for (const q of [...MATTI, 'Meikäläinen', 'meikalainen', '100002', '1000', 'teemu testaaja', 'maija.meikalainen@example.fi']) {
    assert.deepEqual(await numbers(mallila, mallilaCase, q), [], `not another association's member: ${q}`);
  }
  assert.equal((await find(mallila, esimerkkilaCase, 'Matti Meikalainen')).json.choices, undefined, 'not another association\'s case');
});

test('the name search can use the folded-name trigram index of migration 017 (the same expression in query and index)', async () => {
  const caseId = await openCase('haku.indeksi@example.fi', null);
  const searches: Array<{ sql: string; bindings: unknown[] }> = [];
  const listen = (query: { sql: string; bindings?: unknown[] }) => {
    if (/from "members"/i.test(query.sql) && /translate\(/i.test(query.sql)) searches.push({ sql: query.sql, bindings: query.bindings ?? [] });
  };
  portal.db.on('query', listen);
  try {
    await numbers(federation, caseId, 'Meikalainen Matti');
    await numbers(federation, caseId, 'meikalainen');
  } finally {
    portal.db.off('query', listen);
  }
  assert.equal(searches.length, 2, 'the two searches');
  for (const search of searches) {
    // Six demo members are read fastest by reading them all (or all in name order): forbid that, to see
    // whether the trigram index can serve the query, as it does at 100,000 members.
    const plan = await portal.db.transaction(async (trx) => {
      await trx.raw('SET LOCAL enable_seqscan = off');
      await trx.raw('SET LOCAL enable_indexscan = off');
      const result = await trx.raw(`EXPLAIN ${search.sql.replace(/\$\d+/g, '?')}`, search.bindings as never);
      return result.rows.map((row: { 'QUERY PLAN': string }) => row['QUERY PLAN']).join('\n');
    });
    assert.match(plan, /members_folded_name_trgm/, plan);
  }
});
