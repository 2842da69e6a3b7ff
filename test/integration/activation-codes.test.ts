import assert from 'node:assert/strict';
import { before, beforeEach, test } from 'node:test';
import { createActivationCode, formatCode } from '../../src/passwords/activation-codes.js';
import { orderLinkPaths, type Portal, startClean, startPortal } from '../helpers/portal.js';
import { visibleText, WebClient } from '../helpers/web-client.js';

/**
 * The activation page over HTTP (issue #14): member number and a printed letter's code lead to
 * «PALAUTA SALASANA» for that member; wrong guesses meet the login's counters; a code that no
 * longer works says why, in plain words.
 */
let portal: Portal;
before(async () => {
  portal = await startPortal();
});
beforeEach(async () => {
  await startClean(portal);
  // Teemu and Maija start every test with no password and no code.
  const ids = portal.db('members').select('id').whereIn('member_number', ['100003', '100001']);
  await portal.db('member_credentials').whereIn('member_id', ids).delete();
  await portal.db('activation_codes').delete();
});

async function newCode(memberNumber = '100003') {
  const member = await portal.db('members').where({ member_number: memberNumber }).first('id');
  return createActivationCode(portal.db, { memberId: member.id, memberNumber, staffId: null, days: 30 });
}

async function activate(memberNumber: string, code: string, client = new WebClient(portal.base)) {
  await client.get('/aktivoi');
  return client.post('/aktivoi', { memberNumber, code });
}

const errorText = (html: string) => visibleText(/<span class="error-message" id="code-error">([\s\S]*?)<\/span>\s*<input/.exec(html)?.[1] ?? '');

/** Types a code as an older member might: small letters, spaces where the dashes were. */
const typedCasually = (code: string) => formatCode(code).toLowerCase().replace(/-/g, ' ');

test('the QR link opens the page with the member number filled in, and opening it uses nothing up', async () => {
  const { code } = await newCode();
  for (let i = 0; i < 3; i++) {
    const page = await new WebClient(portal.base).get('/aktivoi?jasennumero=100003');
    assert.equal(page.status, 200);
    assert.match(page.text, /id="member-number" name="memberNumber" type="text" value="100003"/);
    assert.match(visibleText(page.text), /Ota asiointipalvelu käyttöön/);
  }
  assert.match((await new WebClient(portal.base).get('/aktivoi?jasennumero=<b>')).text, /name="memberNumber" type="text" value=""/, 'only digits are filled in');
  assert.equal((await portal.db('activation_codes').first('used_at')).used_at, null);
  assert.equal((await activate('100003', code)).status, 303, 'the code still works');
});

test('a right code typed in small letters with spaces leads to PALAUTA SALASANA; the password set there logs the member in', async () => {
  const { code } = await newCode();
  const client = new WebClient(portal.base);
  const answer = await activate(' 100003 ', typedCasually(code), client);
  assert.equal(answer.status, 303);
  assert.match(answer.location ?? '', /^\/palauta-salasana\/[A-Za-z0-9_-]{43}$/);
  assert.equal(answer.headers.get('referrer-policy'), 'no-referrer');

  const form = await client.get(answer.location!);
  assert.equal(form.status, 200);
  assert.match(visibleText(form.text), /PALAUTA SALASANA/);
  assert.match(form.text, /value="100003" readonly/);
  const done = await client.post(answer.location!, { password: 'Teemun oma salasana 2026' });
  assert.match(visibleText(done.text), /Salasana on vaihdettu/);

  await client.get('/kirjaudu');
  const login = await client.post('/kirjaudu', { memberNumber: '100003', password: 'Teemun oma salasana 2026' });
  assert.equal(login.status, 303);
  assert.equal(login.location, '/omat-tiedot');
  assert.match(visibleText((await client.get('/omat-tiedot')).text), /Teemu Testaaja/);

  const again = await activate('100003', code);
  assert.equal(again.status, 410, 'the code works once');
  assert.match(errorText(again.text), /on jo käytetty/);
  const audit = await portal.db('audit_log').where({ action: 'activation.code-used' }).first('details');
  assert.ok(audit, 'using the code is audited');
  assert.doesNotMatch(JSON.stringify(await portal.db('audit_log').select('details')), new RegExp(code), 'the code is never written down');
});

test('a wrong code and an unknown member number answer alike', async () => {
  const { code } = await newCode();
  const { code: ullasCode } = await newCode('200003'); // an ended membership: the code must not help
  const answers = [await activate('100003', 'ABCD-EFGH-JKMN'), await activate('999999', code), await activate('200003', ullasCode), await activate('abc', code), await activate('100003', 'väärä')];
  assert.deepEqual(answers.map((a) => a.status), [401, 401, 401, 401, 401]);
  const texts = new Set(answers.map((a) => errorText(a.text)));
  assert.equal(texts.size, 1, [...texts].join(' | '));
  assert.match([...texts][0]!, /Jäsennumero tai aktivointikoodi on väärin/);
  assert.equal(await portal.db('activation_codes').whereNotNull('used_at').first(), undefined, 'nothing was used up');
});

test('the sixth attempt is throttled, even with the right code, by the same counters as login', async () => {
  const { code } = await newCode();
  const statuses: number[] = [];
  for (let i = 0; i < 5; i++) statuses.push((await activate('100003', `WRNG-CODE-${'23456789AB'[i]}23${i + 2}`)).status);
  assert.deepEqual(statuses, [401, 401, 401, 401, 429], 'the fifth failure pauses the number, as at login');
  const sixth = await activate('100003', code);
  assert.equal(sixth.status, 429);
  assert.match(errorText(sixth.text), /Liian monta väärää yritystä.*Yritä uudelleen 1 minuutin kuluttua/);
  assert.ok(await portal.db('rate_limits').where({ key: 'login-slow:100003' }).first(), 'the login counter of the number');

  const login = new WebClient(portal.base);
  await login.get('/kirjaudu');
  assert.equal((await login.post('/kirjaudu', { memberNumber: '100003', password: 'Mikä tahansa' })).status, 429, 'login is paused too');
  assert.equal((await activate('100002', 'ABCD-EFGH-JKMN')).status, 401, 'other numbers are not affected');

  await portal.db('rate_limits').where('key', 'like', 'login-slow:%').update({ expire: Date.now() - 1 });
  assert.equal((await activate('100003', code)).status, 303, 'the pause ends by itself');
});

test('the client address has its own limit, shared with login', async () => {
  assert.equal((await activate('100002', 'ABCD-EFGH-JKMN')).status, 401);
  // As if a hundred failures had come from this address (tests share one).
  assert.equal(await portal.db('rate_limits').where('key', 'like', 'login-client:%').update({ points: 101, expire: Date.now() + 15 * 60_000 }), 1);
  const { code } = await newCode();
  const answer = await activate('100003', code);
  assert.equal(answer.status, 429);
  assert.match(errorText(answer.text), /Tästä verkosta on tullut liian monta väärää yritystä/);
});

test('an expired code and one superseded by a newer letter are refused with a plain explanation', async () => {
  const { code: first } = await newCode();
  const { code: second } = await newCode();
  const superseded = await activate('100003', first);
  assert.equal(superseded.status, 410);
  assert.match(errorText(superseded.text), /koska sinulle on tehty uudempi kirje\. Käytä uusimman kirjeen koodia/);

  await portal.db('activation_codes').whereNull('revoked_at').update({ expires_at: portal.db.raw(`now() - interval '1 minute'`) });
  const expired = await activate('100003', second);
  assert.equal(expired.status, 410);
  assert.match(errorText(expired.text), /voimassaoloaika on päättynyt\. Pyydä uusi kirje/);
  assert.match(visibleText(expired.text), /Tarkista seuraavat kohdat/, 'in the error summary too');
});

test('a code dies when the member sets a password with a mailed link', async () => {
  const { code } = await newCode('100001');
  const paths = await orderLinkPaths(portal, 'maija.meikalainen@example.fi');
  const client = new WebClient(portal.base);
  const maijasLink = paths[0]!; // member-number order: 100001 first
  assert.match((await client.get(maijasLink)).text, /value="100001" readonly/);
  assert.match(visibleText((await client.post(maijasLink, { password: 'Maijan postilinkki 2026' })).text), /Salasana on vaihdettu/);

  const answer = await activate('100001', code);
  assert.equal(answer.status, 410);
  assert.match(errorText(answer.text), /olet jo asettanut salasanan/);
  assert.equal((await portal.db('activation_codes').first('revoked_reason')).revoked_reason, 'password-set');
});

test('the page speaks Swedish and English', async () => {
  const client = new WebClient(portal.base);
  await client.get('/aktivoi?lang=sv'); // remembers the language and redirects to the page
  await client.get('/aktivoi');
  const sv = await client.post('/aktivoi', { memberNumber: '', code: '' });
  assert.equal(sv.status, 400);
  assert.match(visibleText(sv.text), /Skriv ditt medlemsnummer.*Skriv aktiveringskoden/);
  await client.get('/aktivoi?lang=en'); // remembers the language and redirects to the page
  await client.get('/aktivoi');
  const en = await client.post('/aktivoi', { memberNumber: '100003', code: 'ABCD-EFGH-JKMN' });
  assert.match(errorText(en.text), /The member number or the activation code is wrong/);
});
