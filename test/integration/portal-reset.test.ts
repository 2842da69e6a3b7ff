import assert from 'node:assert/strict';
import { before, beforeEach, test } from 'node:test';
import { formatTime } from '../../src/mail/compose.js';
import { verifyPassword } from '../../src/passwords/hashing.js';
import { issueLink } from '../../src/passwords/links.js';
import { demoPasswordRestorer, orderLinkPaths, type Portal, startClean, startPortal } from '../helpers/portal.js';
import { visibleText, WebClient } from '../helpers/web-client.js';

let portal: Portal;
let restoreLiisa: () => Promise<void>;
before(async () => {
  portal = await startPortal();
  restoreLiisa = await demoPasswordRestorer(portal.db, '200001');
});
beforeEach(async () => {
  await startClean(portal);
  await restoreLiisa(); // each test starts with Liisa's demo password, Liisan-salasana-2026
});

const orderLinks = (email: string) => orderLinkPaths(portal, email);

async function setPassword(path: string, password: string, client = new WebClient(portal.base)) {
  await client.get(path);
  return client.post(path, { password });
}

async function login(memberNumber: string, password: string, client = new WebClient(portal.base)) {
  await client.get('/kirjaudu');
  return client.post('/kirjaudu', { memberNumber, password });
}

test('opening a link (GET, HEAD, many times, by anyone) uses nothing up', async () => {
  const [path] = await orderLinks('liisa.esimerkki@example.fi');
  for (let i = 0; i < 3; i++) {
    const scanner = new WebClient(portal.base);
    assert.equal((await scanner.request(path!, { method: 'HEAD' })).status, 200);
    const page = await scanner.get(path!);
    assert.equal(page.status, 200);
    assert.match(visibleText(page.text), /PALAUTA SALASANA/);
  }
  const page = await new WebClient(portal.base).get(path!);
  assert.match(page.text, /autocomplete="new-password"/);
  assert.doesNotMatch(page.text, /maxlength/i);
  assert.match(page.text, /value="200001" readonly autocomplete="username"/);
  assert.match(visibleText(page.text), /Näytä salasana/);
  assert.match(visibleText(page.text), /vähintään 12 merkkiä/);
  assert.match(visibleText(page.text), /Vaihda salasana/);
  assert.equal(page.headers.get('referrer-policy'), 'no-referrer');
  assert.equal(page.headers.get('cache-control'), 'no-store');
  assert.match(visibleText((await setPassword(path!, 'Liisan uusi salasana 2026')).text), /Salasana on vaihdettu/);
});

test('setting a password: confirmation with a login link, a "changed" mail without secrets, login works', async () => {
  const [path] = await orderLinks('liisa.esimerkki@example.fi');
  const done = await setPassword(path!, 'Syksyn lehdet putoavat');
  assert.equal(done.status, 200);
  assert.match(visibleText(done.text), /Salasanasi on vaihdettu/);
  assert.match(done.text, /href="\/kirjaudu"/);

  await portal.deliverMail();
  const changed = (await portal.smtp.waitFor(2)).at(-1)!;
  assert.match(changed.subject ?? '', /salasanasi on vaihdettu/);
  assert.doesNotMatch(`${changed.text}${changed.html}`, /Syksyn lehdet|palauta-salasana/);
  assert.equal((await login('200001', 'Syksyn lehdet putoavat')).status, 303);
  assert.equal((await login('200001', 'Liisan-salasana-2026')).status, 401, 'the old password no longer works');
});

test('a member who reads Swedish gets the "changed" mail in Swedish, its links opening the portal in Swedish', async () => {
  await portal.db('members').where({ member_number: '200001' }).update({ preferred_language: 'sv' });
  try {
    const [path] = await orderLinks('liisa.esimerkki@example.fi');
    await setPassword(path!, 'Höstens löv faller sakta');
    await portal.deliverMail();
    const changed = (await portal.smtp.waitFor(2)).at(-1)!;
    assert.match(changed.subject ?? '', /lösenord/i);
    const links = [...(changed.text ?? '').matchAll(/https?:\/\/\S+/g)].map((match) => match[0]);
    assert.ok(links.some((link) => link.includes('/kirjaudu')), 'a link to log in');
    for (const link of links) assert.match(link, /\?lang=sv$/);
  } finally {
    await portal.db('members').where({ member_number: '200001' }).update({ preferred_language: null });
  }
});

test('a used link says so, with the order form', async () => {
  const [path] = await orderLinks('liisa.esimerkki@example.fi');
  await setPassword(path!, 'Ensimmäinen salasana tässä');
  const again = await new WebClient(portal.base).get(path!);
  assert.equal(again.status, 410);
  assert.match(visibleText(again.text), /Linkki on jo käytetty/);
  assert.match(again.text, /action="\/tilaa-salasana"/);
  const post = await setPassword(path!, 'Toinen salasana tähän');
  assert.match(visibleText(post.text), /Linkki on jo käytetty/);
});

test('an expired link says so, with the order form', async () => {
  const [path] = await orderLinks('liisa.esimerkki@example.fi');
  await portal.db('set_password_links').update({ expires_at: portal.db.raw(`now() - interval '1 second'`) });
  const page = await new WebClient(portal.base).get(path!);
  assert.equal(page.status, 410);
  assert.match(visibleText(page.text), /Linkki on vanhentunut/);
  assert.match(page.text, /action="\/tilaa-salasana"/);
  assert.match(visibleText((await setPassword(path!, 'Myöhässä oleva salasana')).text), /Linkki on vanhentunut/);
});

test('an unknown or malformed link gets a plain page, never a 500', async () => {
  for (const token of ['x'.repeat(43), 'short', 'a'.repeat(5000)]) {
    const page = await new WebClient(portal.base).get(`/palauta-salasana/${token}`);
    assert.equal(page.status, 404, token);
    assert.match(visibleText(page.text), /Linkki ei toimi/);
  }
  const undecodable = await new WebClient(portal.base).get('/palauta-salasana/%E0%A4%A');
  assert.equal(undecodable.status, 400);
  assert.match(visibleText(undecodable.text), /Pyyntöä ei voitu käsitellä/);
});

test('two outstanding links: the first mail still works; after use, the other one is closed', async () => {
  const [first] = await orderLinks('liisa.esimerkki@example.fi');
  const [second] = await orderLinks('liisa.esimerkki@example.fi');
  assert.notEqual(first, second);
  assert.match(visibleText((await setPassword(first!, 'Vanhemman viestin linkki')).text), /Salasana on vaihdettu/);
  assert.match(visibleText((await new WebClient(portal.base).get(second!)).text), /Linkki on jo käytetty/);
});

test('50 parallel submissions of one link: exactly one wins', async () => {
  const [path] = await orderLinks('liisa.esimerkki@example.fi');
  const clients = await Promise.all(
    Array.from({ length: 50 }, async () => {
      const client = new WebClient(portal.base);
      await client.get(path!);
      return client;
    }),
  );
  const pages = await Promise.all(clients.map((client, i) => client.post(path!, { password: `Rinnakkainen salasana ${i}` })));
  const winners = pages.filter((page) => /Salasana on vaihdettu/.test(page.text));
  assert.equal(winners.length, 1);
  assert.equal(pages.filter((page) => page.status === 410 && /Linkki on jo käytetty/.test(visibleText(page.text))).length, 49);
  const winner = pages.indexOf(winners[0]!);
  assert.equal((await login('200001', `Rinnakkainen salasana ${winner}`)).status, 303);
  const audit = await portal.db('audit_log').where({ action: 'password.set-with-link' }).count({ n: '*' }).first();
  assert.ok(Number(audit?.n) >= 1);
});

test('a rejected password keeps the link usable and explains why', async () => {
  const [path] = await orderLinks('liisa.esimerkki@example.fi');
  const client = new WebClient(portal.base);
  for (const [password, message] of [['', /Kirjoita uusi salasana/], ['lyhyt', /vähintään 12 merkkiä/], ['salasana1234', /helppo arvata: se on yleisesti käytetty/], ['x'.repeat(129), /enintään 128/]] as const) {
    const page = await setPassword(path!, password, client);
    assert.equal(page.status, 400);
    assert.match(page.text, /<title>Virhe:/);
    assert.match(visibleText(page.text), message);
    assert.match(page.text, /<a href="#password">/);
  }
  assert.match(visibleText((await setPassword(path!, 'Nyt kelpaava salasana', client)).text), /Salasana on vaihdettu/);
});

test('a 73-byte password and its 72-byte prefix: only the full one logs in', async () => {
  const [path] = await orderLinks('liisa.esimerkki@example.fi');
  const password = 'Pitkä salasana '.padEnd(70, 'x') + 'yz'; // 72 characters, ä takes 2 bytes: 73 bytes
  assert.equal(Buffer.byteLength(password), 73);
  await setPassword(path!, password);
  const prefix = Buffer.from(password).subarray(0, 72).toString();
  assert.equal((await login('200001', prefix)).status, 401);
  assert.equal((await login('200001', password)).status, 303);
});

test('setting a password ends every session of that member', async () => {
  const phone = new WebClient(portal.base);
  assert.equal((await login('200001', 'Liisan-salasana-2026', phone)).status, 303);
  assert.equal((await phone.get('/omat-tiedot')).status, 200);
  const [path] = await orderLinks('liisa.esimerkki@example.fi');
  await setPassword(path!, 'Uusi salasana istunnoille');
  const after = await phone.get('/omat-tiedot');
  assert.equal(after.status, 303);
  assert.equal(after.location, '/kirjaudu');
  assert.equal(Number((await portal.db('member_sessions').whereRaw(`(sess->>'memberId')::int = (select id from members where member_number = '200001')`).count({ n: '*' }).first())?.n), 0);
});

/** When the newest link expires, as the mail says it: «12. toukokuuta 2026 klo 14.30». */
async function newestLinkExpiry(language: 'fi' | 'sv' | 'en') {
  const { expires_at: expiresAt } = await portal.db('set_password_links').orderBy('id', 'desc').first('expires_at');
  return formatTime(expiresAt, language);
}

test('the page says until when the link is valid, in the member\'s language', async () => {
  const [path] = await orderLinks('liisa.esimerkki@example.fi');
  const finnish = await new WebClient(portal.base).get(path!);
  assert.ok(visibleText(finnish.text).includes(`Linkki on voimassa ${await newestLinkExpiry('fi')} asti.`), visibleText(finnish.text));
  const swede = new WebClient(portal.base);
  await swede.get(`${path!}?lang=sv`);
  assert.ok(visibleText((await swede.get(path!)).text).includes(`Länken gäller till ${await newestLinkExpiry('sv')}.`));
  const english = new WebClient(portal.base);
  await english.get(`${path!}?lang=en`);
  assert.ok(visibleText((await english.get(path!)).text).includes(`The link is valid until ${await newestLinkExpiry('en')}.`));
});

test('the form keeps working after the member session has expired: the link alone sets the password', async () => {
  const [path] = await orderLinks('liisa.esimerkki@example.fi');
  const slowReader = new WebClient(portal.base);
  assert.equal((await slowReader.get(path!)).status, 200);
  assert.equal(slowReader.cookie('asiointi'), undefined, 'the page needs no session');
  await portal.db('member_sessions').delete(); // what 30 minutes idle does
  const done = await slowReader.post(path!, { password: 'Hitaasti mutta varmasti kirjoitettu' });
  assert.equal(done.status, 200);
  assert.match(visibleText(done.text), /Salasanasi on vaihdettu/);
  assert.equal((await login('200001', 'Hitaasti mutta varmasti kirjoitettu')).status, 303);
});

test('a set-password post from another site is refused and sets nothing', async () => {
  const [path] = await orderLinks('liisa.esimerkki@example.fi');
  const victim = new WebClient(portal.base);
  await victim.get(path!);
  for (const headers of [{ origin: 'https://evil.example' }, { 'sec-fetch-site': 'cross-site' }, { origin: 'null', 'sec-fetch-site': 'cross-site' }] as Record<string, string>[]) {
    const refused = await victim.post(path!, { password: 'Hyökkääjän valitsema salasana' }, headers);
    assert.equal(refused.status, 403, JSON.stringify(headers));
    assert.match(visibleText(refused.text), /Pyyntö tuli toiselta sivustolta/);
  }
  assert.equal((await login('200001', 'Hyökkääjän valitsema salasana')).status, 401);
  assert.equal((await portal.db('set_password_links').orderBy('id', 'desc').first('used_at')).used_at, null, 'the link was not used');
  // What Chromium sends from our own page, whose Referrer-Policy (no-referrer) hides the origin.
  const ownPage = await victim.post(path!, { password: 'Oma sivu lähetti tämän' }, { origin: 'null', 'sec-fetch-site': 'same-origin' });
  assert.equal(ownPage.status, 200);
  assert.match(visibleText(ownPage.text), /Salasanasi on vaihdettu/);
});

test('the reset page refuses a password of only spaces and one made of the name and member number', async () => {
  const [path] = await orderLinks('liisa.esimerkki@example.fi');
  const client = new WebClient(portal.base);
  for (const password of [' '.repeat(12), 'Esimerkki200001', 'liisa esimerkki 200001', 'Liisa.Esimerkki-2026']) {
    const page = await setPassword(path!, password, client);
    assert.equal(page.status, 400, JSON.stringify(password));
    assert.match(visibleText(page.text), /Tämä salasana on helppo arvata: se on yleisesti käytetty tai koostuu nimestäsi, jäsennumerostasi tai sähköpostiosoitteestasi\. Valitse toinen salasana\./);
    assert.equal((await login('200001', password)).status, 401);
  }
  assert.match(visibleText((await setPassword(path!, 'Esimerkin kesä on lyhyt', client)).text), /Salasana on vaihdettu/);
});

test('a staff invitation link: no session needed, the staff member\'s own name refused, then the password is set', async () => {
  const staff = await portal.db('staff_users').where({ email: 'sihteeri@mallila.example' }).first('id');
  const { token, expiresAt } = await issueLink(portal.db, { staffUserId: staff.id }, 168, null);
  const path = `/palauta-salasana/${token}`;
  const client = new WebClient(portal.base);
  const page = await client.get(path);
  assert.equal(page.status, 200);
  assert.match(page.text, /value="sihteeri@mallila.example" readonly autocomplete="username"/);
  assert.ok(visibleText(page.text).includes(`Linkki on voimassa ${formatTime(expiresAt, 'fi')} asti.`));
  assert.equal(client.cookie('asiointi'), undefined, 'the page needs no session');
  const rejected = await client.post(path, { password: 'Mallilan sihteeri 2026' });
  assert.equal(rejected.status, 400);
  assert.match(visibleText(rejected.text), /helppo arvata: se on yleisesti käytetty/);
  assert.match(rejected.text, /value="sihteeri@mallila.example" readonly/);
  const done = await client.post(path, { password: 'Sihteerin oma uusi salasana' }, { origin: portal.base, 'sec-fetch-site': 'same-origin' });
  assert.equal(done.status, 200);
  assert.match(visibleText(done.text), /Salasanasi on asetettu/);
  const { password_hash: hash } = await portal.db('staff_credentials').where({ staff_user_id: staff.id }).first('password_hash');
  assert.equal(await verifyPassword('Sihteerin oma uusi salasana', hash), true);
  assert.ok(await portal.db('audit_log').where({ action: 'staff.password-set-with-link', actor_id: staff.id }).first());
});
