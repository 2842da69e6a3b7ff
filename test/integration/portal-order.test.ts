import assert from 'node:assert/strict';
import { before, beforeEach, test } from 'node:test';
import { createDb } from '../../src/db/connection.js';
import { requestSetPasswordLink } from '../../src/passwords/order-link.js';
import { linksIn, type Portal, startClean, startPortal } from '../helpers/portal.js';
import { visibleText, WebClient } from '../helpers/web-client.js';

let portal: Portal;
before(async () => {
  portal = await startPortal();
});
beforeEach(() => startClean(portal));

async function order(email: string, client = new WebClient(portal.base)) {
  await client.get('/tilaa-salasana');
  return client.post('/tilaa-salasana', { email });
}

test('an address not in the register: «Käyttäjää ei löydy», whom to ask, and a case with only the address and time', async () => {
  const before = await portal.db('not_found_cases').count({ n: '*' }).first();
  const page = await order('  Ei.Ole@Example.fi ');
  assert.equal(page.status, 200);
  const text = visibleText(page.text);
  assert.match(text, /Käyttäjää ei löydy/);
  assert.match(text, /ei ole tallennettu jäsenrekisteriin/);
  assert.match(text, /Pyydä omaa yhdistystäsi tai liiton jäsenpalvelua lisäämään sähköpostiosoitteesi/);
  assert.match(text, /jasenasiat@invalidiliitto\.fi/);
  assert.match(text, /Kun osoitteesi on lisätty, tilaa salasana uudelleen/);
  assert.match(page.text, /<form method="post" action="\/tilaa-salasana"/, 'the form is offered again');

  const cases = await portal.db('not_found_cases').orderBy('id', 'desc').limit(1);
  assert.equal(Number((await portal.db('not_found_cases').count({ n: '*' }).first())?.n), Number(before?.n) + 1);
  const { id: _id, created_at: createdAt, last_attempt_at: lastAttempt, email_typed: _typed, address, attempts, ...rest } = cases[0];
  assert.ok(createdAt instanceof Date);
  assert.deepEqual(lastAttempt, createdAt);
  assert.ok(Object.values(rest).every((value) => value === null), `nothing but the address and the time: ${JSON.stringify(rest)}`);
  assert.equal(cases[0].email_typed, 'Ei.Ole@Example.fi');
  assert.equal(address, 'ei.ole@example.fi');
  assert.equal(attempts, 1);

  // The same address again: the same case, one more attempt.
  await order('ei.ole@example.fi');
  const again = await portal.db('not_found_cases').where({ id: cases[0].id }).first();
  assert.equal(again.attempts, 2);
  assert.ok(again.last_attempt_at > createdAt);
  assert.equal(Number((await portal.db('not_found_cases').count({ n: '*' }).first())?.n), Number(before?.n) + 1, 'still one case');
  assert.equal(await portal.deliverMail(), 0, 'no mail is queued');
});

test('an ended membership counts as not found', async () => {
  const page = await order('ulla.ulkona@example.fi');
  assert.match(visibleText(page.text), /Käyttäjää ei löydy/);
  assert.equal(await portal.deliverMail(), 0);
});

test('a known address, typed in another case with spaces: the confirmation, then one mail with number and link', async () => {
  const page = await order('  LIISA.Esimerkki@example.FI ');
  assert.equal(page.status, 200);
  const text = visibleText(page.text);
  assert.match(text, /Ohjeet salasanan vaihtamiseksi on lähetetty antamaasi sähköpostiosoitteeseen\./);
  for (const advice of [/muutaman minuutin kuluessa/, /roskapostikansio/, /”Tarjoukset”/, /noreply@invalidiliitto\.fi/, /Kokeile salasanan tilausta uudestaan/, /ota yhteyttä jäsenpalveluun: jasenasiat@invalidiliitto\.fi/]) {
    assert.match(text, advice);
  }

  assert.equal(await portal.deliverMail(), 1);
  const [mail] = await portal.smtp.waitFor(1);
  assert.equal(mail!.from?.value[0]?.address, 'noreply@invalidiliitto.fi');
  assert.equal(mail!.from?.value[0]?.name, 'Invalidiliitto');
  assert.equal(mail!.to && !Array.isArray(mail!.to) ? mail!.to.value[0]?.address : undefined, 'liisa.esimerkki@example.fi');
  assert.ok(mail!.html, 'there is an HTML part');
  assert.match(mail!.text ?? '', /Ota ylös jäsennumerosi/);
  assert.match(mail!.text ?? '', /Jäsennumero: 200001/);
  const links = linksIn(mail!.text);
  assert.equal(links.length, 1);
  assert.ok(mail!.text!.split('\n').includes(links[0]!), 'the link stands on a line of its own');
  assert.ok(links[0]!.startsWith('http://asiointi.example.fi/palauta-salasana/'));
  // Liisa has a password already: 24 hours.
  assert.match(mail!.text ?? '', /Linkki on voimassa 24 tuntia, .* asti\. Linkin voi käyttää kerran\./);
  assert.match(mail!.text ?? '', /Jos et tilannut linkkiä, voit jättää tämän viestin huomiotta/);
});

test('a shared address: ONE mail listing each member with a link of their own; each link sets its own member', async () => {
  await order('maija.meikalainen@example.fi');
  assert.equal(await portal.deliverMail(), 1);
  const [mail] = await portal.smtp.waitFor(1);
  assert.equal(portal.smtp.messages.length, 1);
  const text = mail!.text ?? '';
  assert.match(text, /Maija Meikäläinen, jäsennumero 100001/);
  assert.match(text, /Matti Meikäläinen, jäsennumero 100002/);
  assert.match(text, /Linkki on voimassa 7 vuorokautta/, 'never set a password: 7 days');
  const links = linksIn(text);
  assert.equal(links.length, 2);
  assert.ok(text.indexOf('100001') < text.indexOf(links[0]!) && text.indexOf(links[0]!) < text.indexOf('100002'));

  for (const [i, number] of ['100001', '100002'].entries()) {
    const client = new WebClient(portal.base);
    const path = new URL(links[i]!).pathname;
    const form = await client.get(path);
    assert.match(form.text, new RegExp(`value="${number}" readonly autocomplete="username"`));
    const done = await client.post(path, { password: `Oma salasana ${number}!` });
    assert.match(visibleText(done.text), /Salasana on vaihdettu/);
    await client.get('/kirjaudu');
    const login = await client.post('/kirjaudu', { memberNumber: number, password: `Oma salasana ${number}!` });
    assert.equal(login.status, 303);
    assert.equal(login.location, '/omat-tiedot');
  }
});

test('a mail goes in the language the member prefers', async () => {
  await portal.db('members').where({ member_number: '200001' }).update({ preferred_language: 'sv' });
  try {
    await order('liisa.esimerkki@example.fi');
    await portal.deliverMail();
    const [mail] = await portal.smtp.waitFor(1);
    assert.match(mail!.subject ?? '', /lösenord/i);
    assert.match(linksIn(mail!.text)[0]!, /\?lang=sv$/);
  } finally {
    await portal.db('members').where({ member_number: '200001' }).update({ preferred_language: null });
  }
});

test('a member who has chosen no language gets the mail in the language of the page they ordered from', async () => {
  const liisa = await portal.db('members').where({ member_number: '200001' }).first('preferred_language');
  await portal.db('members').where({ member_number: '200001' }).update({ preferred_language: null });
  try {
    const swede = new WebClient(portal.base);
    await swede.get('/tilaa-salasana?lang=sv');
    await order('liisa.esimerkki@example.fi', swede);
    await portal.deliverMail();
    const [mail] = await portal.smtp.waitFor(1);
    assert.match(mail!.subject ?? '', /lösenord/i);
    assert.match(linksIn(mail!.text)[0]!, /\?lang=sv$/, 'the link opens the portal in Swedish');

    // A member who has chosen Finnish still gets Finnish, whatever the page.
    portal.smtp.clear();
    await portal.db('members').where({ member_number: '200001' }).update({ preferred_language: 'fi' });
    await order('liisa.esimerkki@example.fi', swede);
    await portal.deliverMail();
    const [finnish] = await portal.smtp.waitFor(1);
    assert.doesNotMatch(finnish!.subject ?? '', /lösenord/i);
  } finally {
    await portal.db('members').where({ member_number: '200001' }).update({ preferred_language: liisa.preferred_language });
  }
});

test('at most 5 link mails per member per hour', async () => {
  for (let i = 0; i < 5; i++) assert.match(visibleText((await order('liisa.esimerkki@example.fi')).text), /Ohjeet salasanan vaihtamiseksi on lähetetty/);
  const sixth = await order('liisa.esimerkki@example.fi');
  assert.equal(sixth.status, 429);
  assert.match(visibleText(sixth.text), /lähetetty jo useita salasanalinkkejä viimeisen tunnin aikana/);
  assert.equal(await portal.deliverMail(), 5);
});

test('orders per client address are limited too', async () => {
  const client = new WebClient(portal.base);
  let last;
  for (let i = 0; i < 21; i++) last = await order(`nobody${i}@example.fi`, client);
  assert.equal(last!.status, 429);
  assert.match(visibleText(last!.text), /Tältä laitteelta on tilattu salasanaa liian monta kertaa/);
  assert.match(last!.text, /<title>Virhe:/);
});

test("an order's counter is committed without waiting for the disk, and only it: the connection's next statement waits again", async () => {
  // One connection, so that what the order's statement set would show in the statement after it.
  const connection = (portal.db.client.config as { connection: { connectionString: string } }).connection;
  const single = createDb(connection.connectionString, { max: 1 });
  try {
    const setting = async () => (await single.raw("SELECT current_setting('synchronous_commit') AS value")).rows[0].value;
    assert.equal(await setting(), 'on');
    const deps = { ...portal.background, db: single };
    assert.equal((await requestSetPasswordLink(deps, { email: 'ei.ole@example.fi', language: 'fi', clientKey: '192.0.2.7' })).kind, 'notFound');
    assert.equal((await requestSetPasswordLink(deps, { email: 'liisa.esimerkki@example.fi', language: 'fi', clientKey: '192.0.2.7' })).kind, 'queued');
    assert.equal(await setting(), 'on');
    const counted = await portal.db('rate_limits').where('key', 'like', '%192.0.2.7%').first();
    assert.equal(counted?.points, 2, 'both orders were counted');
    // In a transaction it would make the whole transaction's commit go without waiting: refused.
    await assert.rejects(single.transaction((trx) => requestSetPasswordLink({ ...deps, db: trx }, { email: 'ei.ole@example.fi', language: 'fi', clientKey: '192.0.2.8' })), /statement of its own/);
  } finally {
    await single.destroy();
  }
});

test('a bad address gets a clear message, not a 500', async () => {
  for (const [email, message] of [['', /Kirjoita sähköpostiosoitteesi/], ['maija@', /muodossa nimi@esimerkki\.fi/], ['x'.repeat(5000), /muodossa/]] as const) {
    const page = await order(email);
    assert.equal(page.status, 400);
    assert.match(page.text, /<title>Virhe:/);
    assert.match(visibleText(page.text), message);
    assert.match(page.text, /<a href="#email">/, 'the error summary links to the field');
    assert.match(page.text, /aria-describedby="email-hint email-error"/);
  }
});

test('a forged Host or X-Forwarded-Host header changes nothing in the mail', async () => {
  const client = new WebClient(portal.base, { host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'http' });
  await order('liisa.esimerkki@example.fi', client);
  await portal.deliverMail();
  const [mail] = await portal.smtp.waitFor(1);
  assert.doesNotMatch(`${mail!.text}${mail!.html}`, /evil\.example/);
  assert.ok(linksIn(mail!.text)[0]!.startsWith('http://asiointi.example.fi/'));
});

test('no token is in clear anywhere in the database after a mail was sent', async () => {
  await order('maija.meikalainen@example.fi');
  await portal.deliverMail();
  const [mail] = await portal.smtp.waitFor(1);
  const tokens = linksIn(mail!.text).map((link) => new URL(link).pathname.split('/').pop()!);
  assert.equal(tokens.length, 2);
  const dump = await portal.db.raw(`
    SELECT string_agg(row_text, E'\\n') AS text FROM (
      SELECT format('%s', t.*) AS row_text FROM mail_queue t UNION ALL
      SELECT format('%s', t.*) FROM mail_queue_members t UNION ALL
      SELECT format('%s', t.*) || encode(token_hash, 'hex') || encode(token_hash, 'base64') FROM set_password_links t UNION ALL
      SELECT format('%s', t.*) FROM audit_log t UNION ALL
      SELECT format('%s', t.*) FROM member_sessions t UNION ALL
      SELECT format('%s', t.*) FROM rate_limits t UNION ALL
      SELECT format('%s', t.*) FROM dev_mailbox t) rows`);
  const everything: string = dump.rows[0].text ?? '';
  assert.ok(everything.length > 0);
  for (const token of tokens) {
    assert.equal(everything.includes(token), false, 'token in clear');
    assert.equal(everything.includes(Buffer.from(token).toString('hex')), false, 'token bytes in hex');
  }
  assert.equal(Number((await portal.db('dev_mailbox').count({ n: '*' }).first())?.n), 0, 'with SMTP, the development mailbox stays empty');
});

test('the «Käyttäjää ei löydy» page offers a short form that files a case to member services and the member\'s association', async () => {
  const client = new WebClient(portal.base);
  const notFound = await order('teemu.uusi@example.fi', client);
  assert.match(visibleText(notFound.text), /Pyydä osoitteen lisäämistä tästä/);
  assert.match(notFound.text, /name="emailToAdd" type="email" autocomplete="email" spellcheck="false" autocapitalize="none" value="teemu.uusi@example.fi"/);

  const invalid = await client.post('/tilaa-salasana/pyynto', { memberNumber: '10000x', name: '', emailToAdd: 'teemu@' });
  assert.equal(invalid.status, 400);
  assert.match(invalid.text, /<title>Virhe:/);
  for (const message of [/Jäsennumerossa voi olla vain numeroita/, /Kirjoita nimesi/, /muodossa nimi@esimerkki\.fi/]) assert.match(visibleText(invalid.text), message);

  const sent = await client.post('/tilaa-salasana/pyynto', { memberNumber: '100003', name: 'Teemu Testaaja', emailToAdd: 'teemu.uusi@example.fi' });
  assert.equal(sent.status, 200);
  assert.match(visibleText(sent.text), /Pyyntö on lähetetty/);
  const filed = await portal.db('not_found_cases').whereNotNull('name').orderBy('id', 'desc').first();
  const esimerkkila = await portal.db('associations').where({ name: 'Esimerkkilän Invalidit ry' }).first();
  assert.equal(filed.member_number, '100003');
  assert.equal(filed.name, 'Teemu Testaaja');
  assert.equal(filed.email_to_add, 'teemu.uusi@example.fi');
  assert.equal(filed.association_id, esimerkkila.id);

  // An unknown number files the case to member services only, with the same answer.
  const unknown = await client.post('/tilaa-salasana/pyynto', { memberNumber: '999999', name: 'Joku Muu', emailToAdd: 'joku@example.fi' });
  assert.equal(visibleText(unknown.text), visibleText(sent.text));
  assert.equal((await portal.db('not_found_cases').where({ member_number: '999999' }).first()).association_id, null);
});
