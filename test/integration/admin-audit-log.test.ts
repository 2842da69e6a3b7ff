import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { before, beforeEach, test } from 'node:test';
import { AUDIT_ACTIONS } from '../../src/audit/audit-log.js';
import { projectRoot } from '../../src/project-root.js';
import { demoIds, StaffClient } from '../helpers/admin-api.js';
import { ESIMERKKILA, FEDERATION, LIISA } from '../helpers/demo-accounts.js';
import { startPortal, type Portal } from '../helpers/portal.js';
import { WebClient } from '../helpers/web-client.js';

/**
 * The audit log records security events (logins, failures, locks, logouts) besides changes, names
 * who did it in words, and staff filter it by who, whom, what and when, each within their scope.
 */
let portal: Portal;
let ids: Awaited<ReturnType<typeof demoIds>>;
const list = (query: string) => `/admin/api/resources/audit_log/actions/list?perPage=100&${query}`;

before(async () => {
  portal = await startPortal();
  ids = await demoIds(portal.db);
});
beforeEach(async () => {
  await portal.db('rate_limits').delete();
});

async function memberLogin(number: string, password: string, client = new WebClient(portal.base)) {
  await client.get('/kirjaudu');
  return client.post('/kirjaudu', { memberNumber: number, password });
}

const since = async () => Number((await portal.db('audit_log').max({ id: 'id' }).first())?.id ?? 0);
const rowsAfter = (id: number) => portal.db('audit_log').where('id', '>', id).orderBy('id').select('actor_type', 'actor_label', 'action', 'member_id', 'details');

test('member logins, failures, a lock and a logout are recorded, named, and never with the password', async () => {
  const start = await since();
  const liisa = ids.member(LIISA[0]);
  const client = new WebClient(portal.base);
  assert.equal((await memberLogin(...LIISA, client)).status, 303);
  await client.get('/omat-tiedot'); // the logout form's token
  assert.equal((await client.post('/kirjaudu-ulos', {})).status, 200);
  for (let i = 0; i < 5; i++) await memberLogin(LIISA[0], `Väärä salasana numero ${i}`);
  await memberLogin('999999', 'Kenenkään salasana');

  const rows = await rowsAfter(start);
  const label = 'Liisa Esimerkki (200001)';
  assert.deepEqual(
    rows.map((r) => [r.action, r.actor_type, r.actor_label, r.member_id]),
    [
      ['login.succeeded', 'member', label, liisa],
      ['logout', 'member', label, liisa],
      ...Array.from({ length: 4 }, () => ['login.failed', 'member', label, liisa]),
      ['login.locked', 'member', label, liisa],
      ['login.failed', 'public', null, null],
    ],
  );
  assert.deepEqual(rows.at(-2)!.details, { cause: 'account', minutes: 1 });
  assert.deepEqual(rows.at(-1)!.details, { unknownAccount: '999999' });
  assert.doesNotMatch(JSON.stringify(rows), /Väärä salasana|Kenenkään|Liisan-salasana/, 'no password in the log');
});

test('staff logins are named by name and address; staff filter the log by who, what, whom and when', async () => {
  const start = await since();
  await new StaffClient(portal.base).login(ESIMERKKILA[0], 'Väärä salasana');
  const federation = await StaffClient.login(portal.base, ...FEDERATION);
  const rows = await rowsAfter(start);
  assert.deepEqual(
    rows.map((r) => [r.action, r.actor_type, r.actor_label]),
    [
      ['login.failed', 'staff', 'Esimerkkilän sihteeri <sihteeri@esimerkkila.example>'],
      ['login.succeeded', 'staff', 'Liiton jäsenpalvelut <jasenpalvelut@liitto.example>'],
    ],
  );

  const byActor = await federation.get(list('filters.actor_label=sihteeri'));
  assert.equal(byActor.status, 200);
  assert.ok(byActor.json.records.length >= 1);
  assert.ok(byActor.json.records.every((r: { params: { actor_label: string } }) => /sihteeri/i.test(r.params.actor_label)));
  const byAction = await federation.get(list('filters.action=login.failed'));
  assert.ok(byAction.json.records.every((r: { params: { action: string } }) => r.params.action === 'login.failed'));
  const today = new Date().toISOString().slice(0, 10);
  const byDate = await federation.get(list(`filters.at~~from=${today}&filters.action=login.succeeded`));
  assert.ok(byDate.json.records.some((r: { params: { actor_label: string } }) => r.params.actor_label.startsWith('Liiton jäsenpalvelut')));
  const byMember = await federation.get(list(`filters.member_id=${ids.member('200001')}`));
  assert.ok(byMember.json.records.every((r: { params: { member_id: number } }) => r.params.member_id === ids.member('200001')));

  // Association staff see what concerns their own members only: no staff logins, no Mallila member.
  const esimerkkila = await StaffClient.login(portal.base, ...ESIMERKKILA);
  const own = await esimerkkila.get(list(''));
  assert.equal(own.status, 200);
  for (const record of own.json.records as Array<{ params: { member_id: number | null } }>) {
    assert.ok([ids.member('100001'), ids.member('100002'), ids.member('100003')].includes(record.params.member_id!), JSON.stringify(record.params));
  }
});

test('every event the log can hold has a name in Finnish, Swedish and English', () => {
  for (const language of ['fi', 'sv', 'en']) {
    const catalog = JSON.parse(readFileSync(path.join(projectRoot, 'admin', 'locale', `${language}.json`), 'utf8'));
    const names = catalog.resources.audit_log.labels.action as Record<string, string>;
    for (const action of AUDIT_ACTIONS) assert.ok(names[action.replaceAll('.', '_')], `${language}: ${action}`);
  }
});
