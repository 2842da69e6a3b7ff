import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { pino } from 'pino';
import type { Logger } from '../../src/logger.js';
import { createMailTransport } from '../../src/mail/transport.js';
import { processMailQueue } from '../../src/mail/worker.js';
import { seedDemoData } from '../../seeds/demo.js';
import { startApp, testConfig } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/database.js';
import { linksIn } from '../helpers/portal.js';
import { visibleText, WebClient } from '../helpers/web-client.js';
import type { Db } from '../../src/db/connection.js';

let db: Db;
let base: string;
const config = testConfig(); // no SMTP_URL, not production: the development mailbox is on
before(async () => {
  ({ db } = await createTestDatabase());
  await seedDemoData(db, { bcryptCost: 10 });
  ({ base } = await startApp(db, { config }));
});

test('the front page says what this is, with the blue «Jäsenille» button and the footer', async () => {
  const page = await new WebClient(base).get('/');
  const text = visibleText(page.text);
  assert.match(text, /Invalidiliitto – asiointipalvelu/);
  assert.match(page.text, /<a class="button site-header__action" href="\/kirjaudu">Jäsenille<\/a>/);
  assert.match(page.text, /href="\/saavutettavuusseloste">Saavutettavuusseloste</);
  assert.match(page.text, /mailto:jasenasiat@invalidiliitto\.fi/);
  for (const name of ['Suomi', 'Svenska', 'English']) assert.match(text, new RegExp(name));
  assert.match(page.text, /<html lang="fi">/);
});

test('FEDERATION_NAME and MEMBER_SERVICES_EMAIL show where the pages name them', async () => {
  const custom = await startApp(db, { config: testConfig({ FEDERATION_NAME: 'Testiliitto', MEMBER_SERVICES_EMAIL: 'apu@testiliitto.example' }) });
  const text = visibleText((await new WebClient(custom.base).get('/tilaa-salasana')).text);
  assert.match(text, /Testiliitto – asiointipalvelu/);
  assert.match(text, /apu@testiliitto\.example/);
});

test('the language switch keeps the person on the same page, and every page has all three languages', async () => {
  const client = new WebClient(base);
  const switched = await client.get('/tilaa-salasana?lang=sv');
  assert.equal(switched.status, 303);
  assert.equal(switched.location, '/tilaa-salasana');
  const sv = await client.get('/tilaa-salasana');
  assert.match(sv.text, /<html lang="sv">/);
  assert.match(visibleText(sv.text), /BESTÄLL ETT NYTT LÖSENORD/);
  await client.get('/tilaa-salasana?lang=en');
  const en = await client.get('/tilaa-salasana');
  assert.match(en.text, /<html lang="en">/);
  assert.match(visibleText(en.text), /ORDER A NEW PASSWORD/);
  for (const path of ['/', '/kirjaudu', '/saavutettavuusseloste', '/ei-ole']) {
    const page = await client.get(path);
    assert.match(page.text, /<html lang="en">/, path);
  }
  await client.get('/?lang=fi');
  assert.match((await client.get('/')).text, /<html lang="fi">/);
});

test('the accessibility statement exists and is linked from every page', async () => {
  const client = new WebClient(base);
  const statement = await client.get('/saavutettavuusseloste');
  assert.equal(statement.status, 200);
  assert.match(visibleText(statement.text), /Saavutettavuusseloste/);
  assert.match(visibleText(statement.text), /jasenasiat@invalidiliitto\.fi/);
  for (const path of ['/', '/kirjaudu', '/tilaa-salasana', '/palauta-salasana/' + 'x'.repeat(43), '/ei-ole']) {
    assert.match((await client.get(path)).text, /href="\/saavutettavuusseloste"/, path);
  }
});

test('an unknown page is a plain 404 in the person\'s language, and bad input never yields a stack trace', async () => {
  const client = new WebClient(base);
  const missing = await client.get('/ei-ole');
  assert.equal(missing.status, 404);
  assert.match(visibleText(missing.text), /Sivua ei löydy/);
  await client.get('/tilaa-salasana');
  const huge = await client.request('/tilaa-salasana', { method: 'POST', body: 'email=' + 'a'.repeat(100_000), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.equal(huge.status, 413);
  const arrays = await client.post('/kirjaudu', { 'memberNumber[]': '1', password: 'x' });
  assert.equal(arrays.status, 400);
  const json = await client.request('/kirjaudu', { method: 'POST', body: '{"memberNumber":{"$gt":""}}', headers: { 'content-type': 'application/json' } });
  assert.equal(json.status, 403);
  for (const page of [huge, arrays, json]) assert.doesNotMatch(page.text, /at \w+ \(|node_modules|TypeError|Error:/);
});

test('a newcomer without SMTP: order, read the mail on the development mailbox page, set a password, log in', async () => {
  const client = new WebClient(base);
  await client.get('/tilaa-salasana');
  const sent = await client.post('/tilaa-salasana', { email: 'maija.meikalainen@example.fi' });
  assert.match(sent.text, /href="\/kehitys\/postilaatikko"/, 'the confirmation points a newcomer to the development mailbox');
  const logger = pino({ level: 'silent' }) as Logger;
  await processMailQueue({ db, config, transport: createMailTransport(config, db, logger), logger });

  const mailbox = await client.get('/kehitys/postilaatikko');
  assert.equal(mailbox.status, 200);
  assert.match(visibleText(mailbox.text), /Salasanan asettaminen asiointipalveluun/);
  const [maijaLink] = linksIn(visibleText(mailbox.text));
  assert.ok(maijaLink?.startsWith('http://localhost:3000/palauta-salasana/'));
  const path = new URL(maijaLink!).pathname;
  await client.get(path);
  assert.match(visibleText((await client.post(path, { password: 'Maijan oma salasana' })).text), /Salasana on vaihdettu/);
  await client.get('/kirjaudu');
  assert.equal((await client.post('/kirjaudu', { memberNumber: '100001', password: 'Maijan oma salasana' })).location, '/omat-tiedot');
  assert.match(visibleText((await client.get('/omat-tiedot')).text), /Maija Meikäläinen/);
});

test('the development mailbox is off when SMTP_URL is set', async () => {
  const withSmtp = await startApp(db, { config: testConfig({ SMTP_URL: 'smtp://127.0.0.1:1' }) });
  assert.equal((await new WebClient(withSmtp.base).get('/kehitys/postilaatikko')).status, 404);
});
