import assert from 'node:assert/strict';
import { afterEach, before, beforeEach, test } from 'node:test';
import { assertRefused, associationSecrets, demoIds, lastMailId, linkMails, sameOrigin, StaffClient } from '../helpers/admin-api.js';
import { type Portal, startClean, startPortal } from '../helpers/portal.js';
import { ESIMERKKILA, FEDERATION, MALLILA as MALLILA_STAFF } from '../helpers/demo-accounts.js';

/**
 * Who sees what in the back-office, through every JSON API path AdminJS offers: association staff
 * of Esimerkkilä against Mallila's members. Every answer to Esimerkkilä's staff member is checked
 * (by StaffClient) for every number, name and address of Mallila, and every answer to anyone for
 * password or link hashes.
 */
let portal: Portal;
let ids: Awaited<ReturnType<typeof demoIds>>;
let esimerkkila: StaffClient;
let federation: StaffClient;
let mallilaMembers: number[];
let ownMembers: number[];
let mallilaCaseId: number;

const members = (path = '') => `/admin/api/resources/members${path}`;

before(async () => {
  portal = await startPortal();
  ids = await demoIds(portal.db);
  mallilaMembers = ['200001', '200002', '200003'].map(ids.member);
  ownMembers = ['100001', '100002', '100003'].map(ids.member);

  // Mallila has a history too: a link mail for Liisa (mail, audit rows, a link) and an open case.
  federation = await StaffClient.login(portal.base, ...FEDERATION);
  const sent = await federation.post(members(`/records/${ids.member('200001')}/sendLink`));
  assert.equal(sent.json.notice.type, 'success');
  await portal.deliverMail();
  [{ id: mallilaCaseId }] = await portal
    .db('not_found_cases')
    .insert({ email_typed: 'pekka.puuttuva@example.fi', email_to_add: 'pekka.puuttuva@example.fi', member_number: '200002', name: 'Pekka Puuttuva', association_id: ids.mallila })
    .returning('id');

  const secrets = [...(await associationSecrets(portal.db, ids.mallila)), /mallila/i, /pekka\.puuttuva/i];
  esimerkkila = await StaffClient.login(portal.base, ESIMERKKILA[0], ESIMERKKILA[1], secrets);
});

beforeEach(() => startClean(portal));

/** The rows that must not change when a request is refused. */
async function snapshot() {
  const db = portal.db;
  return {
    members: await db('members').orderBy('id'),
    credentials: await db('member_credentials').orderBy('member_id'),
    associations: await db('associations').orderBy('id'),
    staff: await db('staff_users').orderBy('id'),
    cases: await db('not_found_cases').orderBy('id'),
    mallilaMail: await db('mail_queue_members').whereIn('member_id', mallilaMembers).orderBy(['mail_id', 'member_id']),
    mallilaLinks: await db('set_password_links').whereIn('member_id', mallilaMembers).orderBy('id').select('id', 'member_id', 'used_at', 'revoked_at'),
  };
}

/** After any test's requests: Mallila's members got no mail at the SMTP server. */
async function assertNoMailForMallila() {
  await portal.deliverMail();
  const mallilaAddresses = (await portal.db('members').whereIn('id', mallilaMembers).whereNotNull('email').pluck('email')).map((e: string) => e.toLowerCase());
  for (const message of portal.smtp.messages) {
    const to = [message.to].flat().flatMap((t) => t?.value.map((v) => v.address?.toLowerCase()) ?? []);
    for (const address of mallilaAddresses) assert.ok(!to.includes(address), `a mail went to ${address}`);
    assert.doesNotMatch(message.text ?? '', /\b20000[1-3]\b/, 'a Mallila member number in a mail');
  }
}

afterEach(assertNoMailForMallila);

test('association staff list only their own members, whatever the filters, sort and page size', async () => {
  const all = ['100001', '100002', '100003'];
  const cases: Array<[string, string[], number?]> = [
    ['', all],
    [`filters.association_id=${ids.mallila}`, []],
    [`filters.association_id=${ids.esimerkkila}`, all],
    ['filters.member_number=2000', []],
    ['filters.member_number=1000', all],
    ['filters.email=liisa', []],
    ['filters.email=example.fi', ['100001', '100002']],
    ['filters.first_name=Ulla', []],
    ['filters.membership_status=ended', []],
    ['filters.no_such_column=1', all],
    ['filters.password_hash=%242b%24', all],
    ['sortBy=association_id&direction=desc', all],
    ['sortBy=password_hash', all],
    ['sortBy=no_such_column&direction=desc', all],
    ['perPage=100000', all],
    ['perPage=100000&page=2', [], 3],
  ];
  for (const [query, expected, total = expected.length] of cases) {
    const list = await esimerkkila.get(members(`/actions/list?${query}`));
    assert.equal(list.status, 200, query);
    const numbers = list.json.records.map((r: { params: { member_number: string } }) => r.params.member_number).sort();
    assert.deepEqual(numbers, expected, query);
    assert.equal(list.json.meta.total, total, `${query}: the count excludes Mallila`);
    for (const record of list.json.records) assert.equal(record.params.association_id, ids.esimerkkila, query);
  }
});

test('search by name, number, address or association finds nothing of Mallila', async () => {
  for (const path of [
    '/search/Esimerkki',
    '/search/Puuttuva',
    '/search/Ulkona',
    '/search/200001?searchProperty=member_number',
    '/search/liisa?searchProperty=email',
    `/search/${ids.mallila}?searchProperty=association_id`,
    '/search/Liisa?searchProperty=first_name&perPage=100000',
    '/search/a?searchProperty=password_hash',
    `/search/?filters.association_id=${ids.mallila}&perPage=100000`,
  ]) {
    const found = await esimerkkila.get(members(path));
    assert.equal(found.status, 200, path);
    for (const record of found.json.records) assert.equal(record.params.association_id, ids.esimerkkila, path);
  }
  const own = await esimerkkila.get(members('/search/Testaaja'));
  assert.deepEqual(
    own.json.records.map((r: { params: { member_number: string } }) => r.params.member_number),
    ['100003'],
    'search works on own members',
  );
});

test('show, edit, delete and mail status of a Mallila member are refused and change nothing', async () => {
  const before = await snapshot();
  for (const id of mallilaMembers) {
    assertRefused(await esimerkkila.get(members(`/records/${id}/show`)), `show ${id}`);
    assertRefused(await esimerkkila.get(members(`/records/${id}/edit`)), `edit form ${id}`);
    assertRefused(await esimerkkila.get(members(`/records/${id}/mailStatus`)), `mail status ${id}`);
    assertRefused(await esimerkkila.get(members(`/records/${id}/letterStatus`)), `letter status ${id}`);
    assertRefused(
      await esimerkkila.post(members(`/records/${id}/edit`), { first_name: 'Muutettu', email: 'muutettu@example.fi', association_id: String(ids.esimerkkila), membership_status: 'ended' }),
      `edit ${id}`,
    );
    assertRefused(await esimerkkila.request(members(`/records/${id}/edit`), { method: 'POST', body: new URLSearchParams({ email: 'muutettu@example.fi' }) }), `urlencoded edit ${id}`);
    assertRefused(await esimerkkila.post(members(`/records/${id}/delete`)), `delete ${id}`);
  }
  assert.deepEqual(await snapshot(), before);
});

test('bulk delete is refused, for Mallila\'s members and for one\'s own', async () => {
  const before = await snapshot();
  for (const recordIds of [mallilaMembers, ownMembers, [...ownMembers, ...mallilaMembers]]) {
    assertRefused(await esimerkkila.post(members(`/bulk/bulkDelete?recordIds=${recordIds.join(',')}`)), `bulkDelete ${recordIds}`);
    assertRefused(await esimerkkila.get(members(`/bulk/bulkDelete?recordIds=${recordIds.join(',')}`)), `bulkDelete form ${recordIds}`);
  }
  for (const id of ownMembers) assertRefused(await esimerkkila.post(members(`/records/${id}/delete`)), `delete own ${id}`);
  assert.deepEqual(await snapshot(), before);
});

test('a new member is created in the staff member\'s own association, whatever the payload says', async () => {
  try {
    const created = await esimerkkila.post(members('/actions/new'), {
      member_number: '100009',
      first_name: 'Uusi',
      last_name: 'Jäsen',
      email: 'uusi.jasen@example.fi',
      association_id: String(ids.mallila),
      id: '999',
      role: 'federation',
      password_hash: '$2b$10$abcdefghijklmnopqrstuv',
      created_at: '2000-01-01T00:00:00Z',
      is_admin: 'true',
    });
    assert.equal(created.status, 200);
    assert.equal(created.json.notice.type, 'success', created.text.slice(0, 300));
    const row = await portal.db('members').where({ member_number: '100009' }).first();
    assert.equal(row.association_id, ids.esimerkkila, 'association_id in the payload is ignored');
    assert.equal(created.json.record.params.association_id, ids.esimerkkila, 'the answer shows what was saved');
    assert.equal(created.json.record.params.role, undefined, 'unknown keys are not sent back as if saved');
    assert.notEqual(row.id, 999);
    assert.notEqual(new Date(row.created_at).getFullYear(), 2000);
    assert.equal(await portal.db('member_credentials').where({ member_id: row.id }).first(), undefined, 'no password from the payload');
    assert.equal(Number((await portal.db('members').where({ association_id: ids.mallila }).count({ n: '*' }).first())?.n), 3, 'Mallila still has its three members');
  } finally {
    const row = await portal.db('members').where({ member_number: '100009' }).first();
    if (row) await portal.db('members').where({ id: row.id }).delete();
  }
});

test('editing an own member cannot move them to Mallila or set number, role, password or unknown columns', async () => {
  const maija = ids.member('100001');
  const before = await snapshot();
  const edited = await esimerkkila.post(members(`/records/${maija}/edit`), {
    preferred_language: 'sv',
    association_id: String(ids.mallila),
    member_number: '200009',
    id: String(ids.member('200001')),
    role: 'federation',
    password_hash: '$2b$10$abcdefghijklmnopqrstuv',
    is_admin: 'true',
  });
  try {
    assert.equal(edited.status, 200);
    assert.equal(edited.json.notice.type, 'success', edited.text.slice(0, 300));
    const row = await portal.db('members').where({ id: maija }).first();
    assert.equal(row.preferred_language, 'sv', 'the permitted field was saved');
    assert.equal(edited.json.record.id, maija, 'the posted id did not choose another row');
    assert.equal(edited.json.record.params.association_id, ids.esimerkkila);
    assert.equal(row.association_id, ids.esimerkkila);
    assert.equal(row.member_number, '100001');
    assert.equal(await portal.db('member_credentials').where({ member_id: maija }).first(), undefined);
    const after = await snapshot();
    assert.deepEqual(
      after.members.filter((m) => m.id !== maija),
      before.members.filter((m) => m.id !== maija),
    );
    assert.deepEqual({ ...after, members: [] }, { ...before, members: [] });
  } finally {
    await portal.db('members').where({ id: maija }).update({ preferred_language: 'fi' });
  }
});

test('sendLink, bulkSendLink and sendToAllWaiting never queue or send mail for Mallila\'s members', async () => {
  // Pekka gets an address for this test, so that Mallila also has a member waiting for a first link.
  await portal.db('members').where({ id: ids.member('200002') }).update({ email: 'pekka.puuttuva@example.fi' });
  try {
    const before = await snapshot();
    const since = await lastMailId(portal.db);
    for (const id of mallilaMembers) {
      assertRefused(await esimerkkila.get(members(`/records/${id}/sendLink`)), `sendLink ${id}`);
      assertRefused(await esimerkkila.post(members(`/records/${id}/sendLink`)), `sendLink by POST ${id}`);
    }
    assertRefused(await esimerkkila.get(members(`/bulk/bulkSendLink?recordIds=${mallilaMembers.join(',')}`)), 'bulkSendLink of Mallila');
    assertRefused(await esimerkkila.post(members(`/bulk/bulkSendLink?recordIds=${mallilaMembers.join(',')}`)), 'bulkSendLink of Mallila by POST');
    assert.deepEqual(await linkMails(portal.db, since), [], 'nothing was queued');

    // Mixed with an own member, and to everyone waiting: only Esimerkkilä's members are counted and get mail.
    const mixedPath = members(`/bulk/bulkSendLink?recordIds=${[ids.member('100001'), ...mallilaMembers].join(',')}`);
    const mixed = await esimerkkila.get(mixedPath);
    assert.equal(mixed.status, 200);
    assert.deepEqual(mixed.json.records.map((r: { id: number }) => r.id), [ids.member('100001')]);
    assert.deepEqual(mixed.json.preview, { members: 1, mails: 1, noEmail: { count: 0, sample: [] }, ended: { count: 0, sample: [] } });
    assert.equal((await esimerkkila.post(mixedPath, { confirm: '1' })).json.progress.members, 1);
    const waitingPreview = await esimerkkila.get(members('/actions/sendToAllWaiting'));
    assert.doesNotMatch(JSON.stringify(waitingPreview.json.preview), /2000\d\d/);
    const waiting = await esimerkkila.post(members('/actions/sendToAllWaiting'), { confirm: '1' });
    assert.equal(waiting.status, 200);
    const esimerkkilaSends = portal.db('link_batches').where({ staff_user_id: ids.staff('sihteeri@esimerkkila.example') }).select('id');
    assert.equal(await portal.db('link_batch_members').whereIn('batch_id', esimerkkilaSends).whereIn('member_id', mallilaMembers).first(), undefined, 'no Mallila member in any of Esimerkkilä\'s sends');
    await portal.deliverMail();
    for (const mail of await linkMails(portal.db, since)) {
      for (const number of mail.members) assert.match(number, /^1000\d\d$/, `mail ${JSON.stringify(mail)}`);
    }
    assert.deepEqual(await snapshot(), before, 'no Mallila row changed, no mail or link for Mallila');
    await assertNoMailForMallila();
    assert.ok(portal.smtp.messages.length > 0, 'own members did get their mail');
  } finally {
    await portal.db('members').where({ id: ids.member('200002') }).update({ email: null });
  }
});

test('cases: a Mallila case cannot be seen or resolved, and an own case cannot be resolved onto a Mallila member', async () => {
  const [{ id: ownCaseId }] = await portal
    .db('not_found_cases')
    .insert({ email_typed: 'uusi.osoite@example.fi', member_number: '100003', association_id: ids.esimerkkila })
    .returning('id');
  try {
    const before = await snapshot();
    const cases = '/admin/api/resources/not_found_cases';
    assertRefused(await esimerkkila.get(`${cases}/records/${mallilaCaseId}/show`), 'show Mallila case');
    assertRefused(await esimerkkila.get(`${cases}/records/${mallilaCaseId}/resolve`), 'resolve Mallila case');
    assertRefused(await esimerkkila.post(`${cases}/records/${mallilaCaseId}/resolve`, { memberNumber: '100003' }), 'resolve Mallila case onto an own member');
    const onto = await esimerkkila.post(`${cases}/records/${ownCaseId}/resolve`, { memberNumber: '200002' });
    assert.equal(onto.json.notice.type, 'error', onto.text.slice(0, 300));
    assert.deepEqual(await snapshot(), before, 'no case resolved, no address added');
    const list = await esimerkkila.get(`${cases}/actions/list?perPage=100000&filters.association_id=${ids.mallila}`);
    assert.equal(list.json.meta.total, 0);
    const all = await esimerkkila.get(`${cases}/actions/list?perPage=100000`);
    assert.deepEqual(all.json.records.map((r: { id: number }) => Number(r.id)), [Number(ownCaseId)]);
  } finally {
    await portal.db('not_found_cases').where({ id: ownCaseId }).delete();
  }
});

test('mail queue and audit log show nothing of Mallila, whatever the filters', async () => {
  const liisa = ids.member('200001');
  const mallilaMail = await portal.db('mail_queue_members').where({ member_id: liisa }).first('mail_id');
  const mallilaAudit = await portal.db('audit_log').where({ member_id: liisa }).first('id');
  assert.ok(mallilaMail && mallilaAudit, 'Mallila has mail and audit rows to hide');
  const resources = '/admin/api/resources';
  for (const path of [`/mail_queue/records/${mallilaMail.mail_id}/show`, `/audit_log/records/${mallilaAudit.id}/show`, `/not_found_cases/records/${mallilaCaseId}/show`]) {
    assertRefused(await esimerkkila.get(`${resources}${path}`), path);
  }
  for (const path of ['/mail_queue/actions/list?filters.to_address=liisa', `/audit_log/actions/list?filters.member_id=${liisa}`, '/not_found_cases/search/Pekka?searchProperty=name']) {
    const response = await esimerkkila.get(`${resources}${path}`);
    assert.equal(response.status, 200, path);
    assert.deepEqual(response.json.records, [], path);
  }
  // Unfiltered, any sort, any size: only mail and audit rows of Esimerkkilä's own members.
  const ownMail = await portal.db('mail_queue_members').whereIn('member_id', ownMembers).pluck('mail_id');
  const mail = await esimerkkila.get(`${resources}/mail_queue/actions/list?perPage=100000&sortBy=data`);
  assert.equal(mail.status, 200);
  for (const record of mail.json.records) assert.ok(ownMail.map(Number).includes(Number(record.id)), `mail ${record.id}`);
  assert.equal(mail.json.meta.total, new Set(ownMail.map(Number)).size);
  const audit = await esimerkkila.get(`${resources}/audit_log/actions/list?perPage=100000&sortBy=member_id`);
  assert.equal(audit.status, 200);
  for (const record of audit.json.records) assert.ok(ownMembers.includes(record.params.member_id), `audit row ${record.id}`);
});

test('association staff see only their own association, and cannot create, change or delete one', async () => {
  const associations = '/admin/api/resources/associations';
  const list = await esimerkkila.get(`${associations}/actions/list?perPage=100000&sortBy=name`);
  assert.equal(list.json.meta.total, 1);
  assert.deepEqual(list.json.records.map((r: { id: number }) => r.id), [ids.esimerkkila]);
  assert.deepEqual((await esimerkkila.get(`${associations}/search/Mallilan`)).json.records, []);
  assertRefused(await esimerkkila.get(`${associations}/records/${ids.mallila}/show`), 'show Mallila');

  const before = await snapshot();
  for (const id of [ids.esimerkkila, ids.mallila]) {
    assertRefused(await esimerkkila.post(`${associations}/records/${id}/edit`, { name: 'Uusi nimi ry', contact_email: 'uusi@example.fi' }), `edit association ${id}`);
    assertRefused(await esimerkkila.post(`${associations}/records/${id}/delete`), `delete association ${id}`);
  }
  assertRefused(await esimerkkila.post(`${associations}/bulk/bulkDelete?recordIds=${ids.esimerkkila},${ids.mallila}`), 'bulk delete associations');
  assertRefused(await esimerkkila.post(`${associations}/actions/new`, { name: 'Kolmaslan Invalidit ry', contact_email: 'sihteeri@kolmasla.example' }), 'new association');
  assert.deepEqual(await snapshot(), before);
});

test('association staff cannot list, show, search, create or change staff users at all', async () => {
  const staffUsers = '/admin/api/resources/staff_users';
  const own = ids.staff(ESIMERKKILA[0]);
  const before = await snapshot();
  for (const response of [
    await esimerkkila.get(`${staffUsers}/actions/list?perPage=100000`),
    await esimerkkila.get(`${staffUsers}/search/a`),
    await esimerkkila.get(`${staffUsers}/records/${own}/show`),
    await esimerkkila.get(`${staffUsers}/records/${ids.staff(FEDERATION[0])}/show`),
    await esimerkkila.post(`${staffUsers}/records/${own}/edit`, { role: 'federation', association_id: '', active: 'true' }),
    await esimerkkila.post(`${staffUsers}/actions/new`, { email: 'uusi@esimerkkila.example', name: 'Uusi', role: 'federation' }),
  ]) {
    assertRefused(response, 'staff_users');
    assert.doesNotMatch(response.text, /liitto\.example|sihteeri@/, 'no staff address in the answer');
  }
  assert.deepEqual(await snapshot(), before, 'no staff user created or changed');
  assert.equal((await portal.db('staff_users').where({ id: own }).first()).role, 'association');
});

test('the dashboard shows association staff only their own association', async () => {
  const dashboard = await esimerkkila.get('/admin/api/dashboard');
  assert.equal(dashboard.status, 200);
  assert.deepEqual(
    dashboard.json.rows.map((r: { association: string }) => r.association),
    ['Esimerkkilän Invalidit ry'],
  );
});

test('federation staff see all six members, both associations and the staff users', async () => {
  const list = await federation.get(members('/actions/list?perPage=100000'));
  assert.equal(list.json.meta.total, 6);
  assert.deepEqual(list.json.records.map((r: { params: { member_number: string } }) => r.params.member_number).sort(), ['100001', '100002', '100003', '200001', '200002', '200003']);
  const associations = await federation.get('/admin/api/resources/associations/actions/list');
  assert.deepEqual(associations.json.records.map((r: { params: { name: string } }) => r.params.name).sort(), ['Esimerkkilän Invalidit ry', 'Mallilan Invalidit ry']);
  const staff = await federation.get('/admin/api/resources/staff_users/actions/list');
  assert.equal(staff.json.meta.total, 3);
  const dashboard = await federation.get('/admin/api/dashboard');
  assert.equal(dashboard.json.rows.length, 2);
  assert.deepEqual(
    (await federation.get(members(`/records/${ids.member('200001')}/show`))).json.record.params.member_number,
    '200001',
  );
});

test('Mallila\'s own staff see Mallila\'s members and none of Esimerkkilä\'s', async () => {
  const mallila = await StaffClient.login(portal.base, ...MALLILA_STAFF, await associationSecrets(portal.db, ids.esimerkkila));
  const list = await mallila.get(members('/actions/list?perPage=100000'));
  assert.deepEqual(list.json.records.map((r: { params: { member_number: string } }) => r.params.member_number).sort(), ['200001', '200002', '200003']);
  for (const id of ownMembers) assertRefused(await mallila.get(members(`/records/${id}/show`)), `show ${id}`);
});

test('without a session no API path gives any data', async () => {
  const anonymous = new StaffClient(portal.base, [...(await associationSecrets(portal.db, ids.mallila)), ...(await associationSecrets(portal.db, ids.esimerkkila))]);
  const before = await snapshot();
  const maija = ids.member('100001');
  const paths: Array<[string, string]> = [
    ['GET', '/admin'],
    ['GET', '/admin/api/dashboard'],
    ['GET', members('/actions/list?perPage=100000')],
    ['GET', members('/search/Meikäläinen')],
    ['GET', members(`/records/${maija}/show`)],
    ['GET', members(`/records/${maija}/edit`)],
    ['GET', members(`/records/${maija}/mailStatus`)],
    ['GET', members(`/records/${maija}/letterStatus`)],
    ['GET', members(`/records/${maija}/sendLink`)],
    ['GET', members(`/bulk/bulkSendLink?recordIds=${maija}`)],
    ['POST', members(`/bulk/bulkSendLink?recordIds=${maija}`)],
    ['GET', members('/actions/sendToAllWaiting')],
    ['POST', members('/actions/sendToAllWaiting')],
    ['GET', members('/actions/linkSendProgress?batchId=1')],
    ['POST', members(`/records/${maija}/edit`)],
    ['POST', members('/actions/new')],
    ['POST', members(`/records/${maija}/delete`)],
    ['POST', members(`/bulk/bulkDelete?recordIds=${maija}`)],
    ['GET', '/admin/api/resources/associations/actions/list'],
    ['GET', '/admin/api/resources/staff_users/actions/list'],
    ['GET', '/admin/api/resources/not_found_cases/actions/list'],
    ['GET', `/admin/api/resources/not_found_cases/records/${mallilaCaseId}/resolve`],
    ['GET', '/admin/api/resources/mail_queue/actions/list'],
    ['GET', '/admin/api/resources/audit_log/actions/list'],
  ];
  for (const [method, path] of paths) {
    for (const cookie of [undefined, 'asiointi-admin=s%3Aforged-session-id.forged-signature']) {
      const body = method === 'POST' ? new URLSearchParams({ email: 'x@example.fi', first_name: 'X' }) : undefined;
      const response = await anonymous.request(path, { method, body, headers: { ...sameOrigin(portal.base), ...(cookie ? { cookie } : {}) } });
      assert.ok([302, 303, 401, 403].includes(response.status), `${method} ${path}: ${response.status}`);
      if (response.status < 400) assert.equal(response.location, '/admin/login', `${method} ${path}`);
      assert.doesNotMatch(response.text, /"records"|"rows"|"params"|Meikäläinen|maija/i, `${method} ${path}`);
    }
  }
  assert.deepEqual(await snapshot(), before);
});

test('database refusals come back as form errors on the field, never a 500 or SQL', async () => {
  const sql = /insert into|update "|select |violates|constraint|syntax error|relation "|\bpg\b|knex/i;
  const before = await snapshot();
  const attempts: Array<[StaffClient, string, Record<string, string>, string]> = [
    [esimerkkila, members('/actions/new'), { member_number: '100001', first_name: 'Kopio', last_name: 'Jäsen' }, 'member_number'],
    [esimerkkila, members('/actions/new'), { member_number: '100010', first_name: 'Väärä', last_name: 'Osoite', email: 'x@' }, 'email'],
    [esimerkkila, members('/actions/new'), { member_number: '100011', first_name: 'Väärä', last_name: 'Tila', membership_status: 'bogus' }, 'membership_status'],
    [esimerkkila, members('/actions/new'), { member_number: '100012', first_name: 'Väärä', last_name: 'Kieli', preferred_language: 'xx' }, 'preferred_language'],
    [esimerkkila, members('/actions/new'), { member_number: '100013', first_name: ' ', last_name: 'Nimetön' }, 'first_name'],
    [esimerkkila, members('/actions/new'), { member_number: 'abc', first_name: 'Väärä', last_name: 'Numero' }, 'member_number'],
    [esimerkkila, members(`/records/${ids.member('100003')}/edit`), { email: 'x@' }, 'email'],
    [esimerkkila, members(`/records/${ids.member('100003')}/edit`), { membership_status: 'bogus' }, 'membership_status'],
    [federation, '/admin/api/resources/associations/actions/new', { name: 'Mallilan Invalidit ry', contact_email: 'toinen@mallila.example' }, 'name'],
  ];
  for (const [client, path, fields, field] of attempts) {
    const response = await client.post(path, fields);
    const label = `${path} ${JSON.stringify(fields)}`;
    assert.equal(response.status, 200, label);
    assert.ok(response.json, `${label}: a JSON answer`);
    assert.equal(response.json.notice.type, 'error', label);
    assert.ok(response.json.record.errors[field]?.message, `${label}: an error on ${field}: ${JSON.stringify(response.json.record.errors)}`);
    assert.doesNotMatch(response.text, sql, label);
  }
  // A reference to an association that does not exist: a clear error, not a 500.
  const missing = await federation.post(members('/actions/new'), { member_number: '100014', first_name: 'Ei', last_name: 'Yhdistystä', association_id: '999999' });
  assert.equal(missing.status, 200);
  assert.equal(missing.json.notice.type, 'error');
  assert.doesNotMatch(missing.text, sql);
  assert.deepEqual(await snapshot(), before, 'nothing was written');
});

test('changes and actions without the browser\'s same-origin headers, or from another site, are refused with 403', async () => {
  const maija = ids.member('100001');
  const teemu = ids.member('100003');
  const [{ id: caseId }] = await portal.db('not_found_cases').insert({ email_typed: 'teemu.csrf@example.fi', member_number: '100003', association_id: ids.esimerkkila }).returning('id');
  try {
    const before = { ...(await snapshot()), mail: await lastMailId(portal.db), audit: await portal.db('audit_log').max({ id: 'id' }).first() };
    const requests: Array<[string, string, Record<string, string>?]> = [
      ['POST', members(`/records/${teemu}/edit`), { email: 'teemu.csrf@example.fi' }],
      ['POST', members('/actions/new'), { member_number: '100020', first_name: 'Ulkopuolinen', last_name: 'Pyyntö' }],
      ['POST', members(`/records/${maija}/delete`)],
      ['POST', members(`/bulk/bulkDelete?recordIds=${maija}`)],
      ['GET', members(`/records/${maija}/sendLink`)],
      ['POST', members(`/records/${maija}/sendLink`)],
      ['GET', members(`/bulk/bulkSendLink?recordIds=${maija}`)],
      ['POST', members(`/bulk/bulkSendLink?recordIds=${maija}`), { confirm: '1' }],
      ['GET', members('/actions/sendToAllWaiting')],
      ['POST', members('/actions/sendToAllWaiting'), { confirm: '1' }],
      ['GET', `/admin/api/resources/not_found_cases/records/${caseId}/resolve`],
      ['POST', `/admin/api/resources/not_found_cases/records/${caseId}/resolve`, { memberNumber: '100003' }],
    ];
    const variants: Array<[string, Record<string, string>]> = [
      ['no Origin or Sec-Fetch-Site', {}],
      ['Sec-Fetch-Site: cross-site', { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }],
      ['Sec-Fetch-Site: cross-site with our Origin', { origin: portal.base, 'sec-fetch-site': 'cross-site' }],
      ['Sec-Fetch-Site: same-site', { origin: 'https://muu.asiointi.example.fi', 'sec-fetch-site': 'same-site' }],
      ['another Origin only', { origin: 'https://evil.example' }],
      ['same-origin claimed with another Origin', { origin: 'https://evil.example', 'sec-fetch-site': 'same-origin' }],
    ];
    for (const [method, path, fields] of requests) {
      for (const [name, headers] of variants) {
        const body = fields ? new URLSearchParams(fields) : undefined;
        const response = await esimerkkila.request(path, { method, body, headers });
        assert.equal(response.status, 403, `${method} ${path} with ${name}`);
      }
    }
    const after = { ...(await snapshot()), mail: await lastMailId(portal.db), audit: await portal.db('audit_log').max({ id: 'id' }).first() };
    assert.deepEqual(after, before, 'nothing changed, nothing was queued or audited');
    // The same requests from the back-office's own page do work (so the 403 was the origin check).
    const edit = await esimerkkila.post(members(`/records/${teemu}/edit`), { email: 'teemu.csrf@example.fi' });
    assert.equal(edit.json.notice.type, 'success');
  } finally {
    await portal.db('members').where({ id: teemu }).update({ email: null });
    await portal.db('not_found_cases').where({ id: caseId }).delete();
  }
});

test('no answer contains a password hash or a link hash, even to federation staff', async () => {
  // The hashes exist: every staff user and Liisa have passwords, Liisa has a link.
  assert.equal(Number((await portal.db('staff_credentials').count({ n: '*' }).first())?.n), 3);
  assert.ok(Number((await portal.db('set_password_links').count({ n: '*' }).first())?.n) > 0);
  const liisa = ids.member('200001');
  const paths = [
    members('/actions/list?perPage=100000'),
    members(`/records/${liisa}/show`),
    members(`/records/${liisa}/edit`),
    members(`/records/${liisa}/mailStatus`),
    members('/search/Esimerkki'),
    '/admin/api/resources/staff_users/actions/list?perPage=100000',
    ...(await portal.db('staff_users').pluck('id')).map((id: number) => `/admin/api/resources/staff_users/records/${id}/show`),
    '/admin/api/resources/mail_queue/actions/list?perPage=100000',
    '/admin/api/resources/audit_log/actions/list?perPage=100000',
    '/admin/api/resources/not_found_cases/actions/list?perPage=100000',
    '/admin/api/resources/associations/actions/list?perPage=100000',
    '/admin/api/dashboard',
  ];
  for (const path of paths) {
    // StaffClient asserts on every answer that SECRETS (password_hash, token_hash, $2b$) is absent.
    const response = await federation.get(path);
    assert.equal(response.status, 200, path);
  }
});

test('unknown resource or action names answer 404 in JSON, never a 500; AdminJS\'s English refusals come as catalog keys', async () => {
  const maija = ids.member('100001');
  const unknown: Array<[string, string]> = [
    ['GET', '/admin/api/resources/nope/actions/list'],
    ['GET', '/admin/api/resources/password_hashes/actions/list'],
    ['GET', members('/actions/nope')],
    ['POST', members('/actions/nope')],
    ['GET', members(`/records/${maija}/nope`)],
    ['GET', members(`/bulk/nope?recordIds=${maija}`)],
    ['GET', `/admin/api/resources/${encodeURIComponent('members/../staff_credentials')}/actions/list`],
  ];
  for (const [method, path] of unknown) {
    const response = method === 'POST' ? await esimerkkila.post(path, { x: '1' }) : await esimerkkila.get(path);
    assert.equal(response.status, 404, `${method} ${path}`);
    assert.equal(response.json?.notice?.type, 'error', `${method} ${path}`);
  }
  // Someone not logged in is sent to the login page, as for any other back-office address.
  const anonymous = await new StaffClient(portal.base).get('/admin/api/resources/nope/actions/list');
  assert.ok([302, 303].includes(anonymous.status));

  const mallilaMember = ids.member('200001');
  for (const recordId of [String(mallilaMember), '99999999', 'abc']) {
    const response = await esimerkkila.get(members(`/records/${recordId}/show`));
    assert.equal(response.status, 200, recordId);
    assert.equal(response.json.notice.message, 'error404Record', recordId);
    assert.deepEqual(response.json.notice.options, { recordId, resourceId: 'members' });
    assert.doesNotMatch(response.text, /cannot be found|You have to pass/);
  }
});
