import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { mailProblem, type MailStatusLine } from '../../src/mail/status-for-member.js';
import { runMaintenance } from '../../src/maintenance.js';
import { projectRoot } from '../../src/project-root.js';
import { adminLogin } from '../helpers/admin-client.js';
import { linksIn, startPortal, type Portal } from '../helpers/portal.js';
import { WebClient } from '../helpers/web-client.js';

let portal: Portal;
before(async () => {
  portal = await startPortal();
});

const pick = (line: MailStatusLine) => ({ status: line.status, problem: line.problem, template: line.template });
const memberId = async (number: string) => (await portal.db('members').where({ member_number: number }).first()).id as number;

test('mail status per member: queued, sent, retrying with the reason, link used, link expired; never another association\'s', async () => {
  const staff = await adminLogin(portal.base, 'sihteeri@esimerkkila.example', 'Demo-esimerkkila-1');
  const maija = await memberId('100001');
  const status = async () => (await staff.json(`/admin/api/resources/members/records/${maija}/mailStatus`)).lines as MailStatusLine[];

  const client = new WebClient(portal.base);
  await client.get('/tilaa-salasana');
  await client.post('/tilaa-salasana', { email: 'maija.meikalainen@example.fi' });
  assert.deepEqual(pick((await status())[0]!), { status: 'queued', problem: null, template: 'set-password-link' });

  portal.smtp.refuseNext(1);
  await portal.deliverMail();
  const retrying = (await status())[0]!;
  assert.deepEqual(pick(retrying), { status: 'retrying', problem: 'temporary', template: 'set-password-link' });
  assert.match(retrying.rawReason ?? '', /temporarily unavailable/);
  assert.ok(retrying.nextAttemptAt);

  await portal.db('mail_queue').update({ next_attempt_at: portal.db.fn.now() });
  await portal.deliverMail();
  const [sent] = await status();
  assert.deepEqual(pick(sent!), { status: 'sent', problem: null, template: 'set-password-link' });
  assert.equal(sent!.link?.state, 'valid');

  const [mail] = await portal.smtp.waitFor(1);
  const linkPath = new URL(linksIn(mail!.text)[0]!).pathname;
  await client.get(linkPath);
  await client.post(linkPath, { password: 'Maijan salasana tähän' });
  assert.equal((await status()).find((line) => line.link)!.link!.state, 'used');

  await portal.db('set_password_links').where({ member_id: await memberId('100002') }).update({ expires_at: portal.db.raw(`now() - interval '1 minute'`) });
  const matti = (await staff.json(`/admin/api/resources/members/records/${await memberId('100002')}/mailStatus`)).lines as MailStatusLine[];
  assert.equal(matti.find((line) => line.link)?.link?.state, 'expired');

  const mallila = await staff.client.get(`/admin/api/resources/members/records/${await memberId('200001')}/mailStatus`);
  assert.doesNotMatch(mallila.text, /"lines"/, 'another association\'s member has no mail status to show');
});

test('a failed mail says what to do: the server\'s words read as address rejected, mailbox full, temporary or changed', () => {
  const cases: Array<[string, string, string | null]> = [
    ['failed', 'Vastaanottajan postipalvelin hylkäsi viestin pysyvästi: 550 5.1.1 <x@example.fi>: Recipient address rejected: User unknown', 'address-rejected'],
    ['failed', 'Vastaanottajan postipalvelin hylkäsi viestin pysyvästi: 552 5.2.2 Mailbox full', 'mailbox-full'],
    ['retrying', 'ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:25', 'temporary'],
    ['retrying', '452 4.2.2 Over quota', 'mailbox-full'],
    ['failed', 'none of the members can get a link at this address any more', 'not-sendable'],
    ['failed', 'EPROTOCOL: something odd', 'unknown'],
    ['sent', '550 whatever', null],
  ];
  for (const [state, reason, expected] of cases) assert.equal(mailProblem(state, reason), expected, reason);
  for (const language of ['fi', 'sv', 'en']) {
    const messages = JSON.parse(readFileSync(path.join(projectRoot, 'admin', 'locale', `${language}.json`), 'utf8')).messages;
    for (const problem of ['address-rejected', 'mailbox-full', 'temporary', 'not-sendable', 'unknown']) assert.ok(messages[`mailProblem_${problem}`], `${language} ${problem}`);
  }
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
