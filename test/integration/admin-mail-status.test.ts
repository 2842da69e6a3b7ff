import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { runMaintenance } from '../../src/maintenance.js';
import { adminLogin } from '../helpers/admin-client.js';
import { linksIn, startPortal, type Portal } from '../helpers/portal.js';
import { WebClient } from '../helpers/web-client.js';

let portal: Portal;
before(async () => {
  portal = await startPortal();
});

const memberId = async (number: string) => (await portal.db('members').where({ member_number: number }).first()).id as number;

test('mail status per member in plain words: queued, sent, retrying with the reason, link used, link expired', async () => {
  const staff = await adminLogin(portal.base, 'sihteeri@esimerkkila.example', 'Demo-esimerkkila-1');
  const maija = await memberId('100001');
  const status = async () => (await staff.json(`/admin/api/resources/members/records/${maija}/mailStatus`)).lines as Array<{ status: string; link: string | null }>;

  const client = new WebClient(portal.base);
  await client.get('/tilaa-salasana');
  await client.post('/tilaa-salasana', { email: 'maija.meikalainen@example.fi' });
  assert.match((await status())[0]!.status, /Jonossa/);

  portal.smtp.refuseNext(1);
  await portal.deliverMail();
  assert.match((await status())[0]!.status, /Yritetään uudelleen .*syy: .*temporarily unavailable/);

  await portal.db('mail_queue').update({ next_attempt_at: portal.db.fn.now() });
  await portal.deliverMail();
  const [sent] = await status();
  assert.match(sent!.status, /^Lähetetty /);
  assert.match(sent!.link ?? '', /^Linkki voimassa .* asti$/);

  const [mail] = await portal.smtp.waitFor(1);
  const path = new URL(linksIn(mail!.text)[0]!).pathname;
  await client.get(path);
  await client.post(path, { password: 'Maijan salasana tähän' });
  assert.match((await status()).find((line) => line.link)!.link ?? '', /^Linkki käytetty /);

  await portal.db('set_password_links').where({ member_id: await memberId('100002') }).update({ expires_at: portal.db.raw(`now() - interval '1 minute'`) });
  const matti = (await staff.json(`/admin/api/resources/members/records/${await memberId('100002')}/mailStatus`)).lines;
  assert.match(matti.find((line: { link: string | null }) => line.link)?.link ?? '', /^Linkki vanheni /);

  const mallila = await staff.client.get(`/admin/api/resources/members/records/${await memberId('200001')}/mailStatus`);
  assert.doesNotMatch(mallila.text, /Lähetetty|Jonossa|lines/, 'another association\'s member has no mail status to show');
});

test('"user not found" cases are purged after the retention period from their last activity', async () => {
  const ago = (days: number) => portal.db.raw(`now() - make_interval(days => ?)`, [days]);
  await portal.db('not_found_cases').insert([
    { email_typed: 'vanha@example.fi', created_at: ago(91), last_attempt_at: ago(91) },
    { email_typed: 'tuore@example.fi', created_at: ago(91), last_attempt_at: ago(89) },
  ]);
  const removed = await runMaintenance(portal.db, portal.config);
  assert.equal(removed.cases, 1);
  assert.deepEqual((await portal.db('not_found_cases').pluck('email_typed')).includes('vanha@example.fi'), false);
  assert.deepEqual((await portal.db('not_found_cases').pluck('email_typed')).includes('tuore@example.fi'), true);
});
