import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seedDemoData } from '../../seeds/demo.js';
import { issueLink } from '../../src/passwords/links.js';
import { startApp, testConfig } from '../helpers/app.js';
import { LIISA } from '../helpers/demo-accounts.js';
import { startOwnPostgres } from '../helpers/own-postgres.js';
import { WebClient, visibleText, type Page } from '../helpers/web-client.js';
import { en } from '../../src/i18n/en.js';
import { fi } from '../../src/i18n/fi.js';
import { sv } from '../../src/i18n/sv.js';

/**
 * The database stops under a running app (a PostgreSQL server of this file's own, fast shutdown):
 * every page and form that needs the database answers 503 with Retry-After and a plain "try again in
 * a moment" in the person's language, within 2 seconds, never a 500; pages that need nothing from
 * it (the login and order forms included) keep working. When the database comes back, the same app serves again without a restart, and a
 * form loaded before the outage can be sent.
 */
const LIMIT_MS = 2000;

test('database stopped: every page and form answers 503 with Retry-After in the person\'s language within 2 s; back without restart', async () => {
  const own = await startOwnPostgres();
  await seedDemoData(own.db, { bcryptCost: 10 });
  const { base } = await startApp(own.db, { config: testConfig() });
  const maija = await own.db('members').where({ member_number: '100001' }).first('id');
  const { token } = await issueLink(own.db, { memberId: maija.id }, 24, null);

  // Before the outage: a logged-in member, a visitor with the login form open, a Swedish and an English visitor.
  const member = new WebClient(base);
  await member.get('/kirjaudu');
  assert.equal((await member.post('/kirjaudu', { memberNumber: LIISA[0], password: LIISA[1] })).status, 303);
  const formBefore = new WebClient(base);
  assert.equal((await formBefore.get('/kirjaudu')).status, 200);
  const swedish = new WebClient(base);
  await swedish.get('/?lang=sv');
  await swedish.get('/tilaa-salasana');
  const english = new WebClient(base);
  await english.get('/?lang=en');
  const visitor = new WebClient(base);

  await own.stop();

  const answers: Array<{ label: string; page: Page; ms: number; language: 'fi' | 'sv' | 'en' }> = [];
  const ask = async (label: string, client: WebClient, language: 'fi' | 'sv' | 'en', request: () => Promise<Page>) => {
    const started = Date.now();
    const page = await request();
    answers.push({ label, page, ms: Date.now() - started, language });
    return page;
  };
  const pages = [`/palauta-salasana/${token}`, '/kehitys/postilaatikko'];
  for (const path of pages) await ask(`visitor GET ${path}`, visitor, 'fi', () => visitor.get(path));
  for (const path of ['/', '/omat-tiedot', '/kirjaudu', '/tilaa-salasana', '/saavutettavuusseloste']) await ask(`member GET ${path}`, member, 'fi', () => member.get(path));
  await ask('POST /kirjaudu (form loaded before)', formBefore, 'fi', () => formBefore.post('/kirjaudu', { memberNumber: LIISA[0], password: LIISA[1] }));
  await ask('POST /tilaa-salasana', formBefore, 'fi', () => formBefore.post('/tilaa-salasana', { email: 'maija.meikalainen@example.fi' }));
  await ask('POST /tilaa-salasana/pyynto', formBefore, 'fi', () => formBefore.post('/tilaa-salasana/pyynto', { memberNumber: '', name: 'Testi', emailToAdd: 'uusi@example.fi' }));
  await ask('POST /palauta-salasana', visitor, 'fi', () => visitor.post(`/palauta-salasana/${token}`, { password: 'Uusi-salasana-joka-kelpaa-2026' }));
  await ask('member POST /kirjaudu-ulos', member, 'fi', () => member.post('/kirjaudu-ulos', {}));
  await ask('swedish POST /tilaa-salasana', swedish, 'sv', () => swedish.post('/tilaa-salasana', { email: 'maija.meikalainen@example.fi' }));

  const catalogs = { fi, sv, en };
  for (const { label, page, ms, language } of answers) {
    assert.ok(ms < LIMIT_MS, `${label}: answered in ${ms} ms`);
    assert.equal(page.status, 503, `${label}: ${visibleText(page.text).slice(0, 200)}`);
    assert.ok(Number(page.headers.get('retry-after')) > 0, `${label}: Retry-After`);
    const text = visibleText(page.text);
    assert.ok(text.includes(catalogs[language].errors.unavailableTitle), `${label}: the plain message in ${language}: ${text.slice(0, 200)}`);
    assert.ok(text.includes(catalogs[language].errors.unavailableText), `${label}: what to do, in ${language}`);
  }
  // What needs nothing from the database keeps working for someone who has no session with us yet —
  // the login and order forms too (their CSRF token is a signed cookie, not a stored session); posting
  // them is what answers 503 (above).
  const newcomer = new WebClient(base);
  for (const [client, path] of [[newcomer, '/'], [newcomer, '/saavutettavuusseloste'], [newcomer, '/kirjaudu'], [newcomer, '/tilaa-salasana'], [swedish, '/kirjaudu'], [english, '/tilaa-salasana']] as const) {
    const started = Date.now();
    const page = await client.get(path);
    assert.equal(page.status, 200, `newcomer GET ${path}`);
    assert.ok(Date.now() - started < LIMIT_MS);
  }
  console.log(`# database stopped: ${answers.length} requests answered 503, the slowest in ${Math.max(...answers.map((a) => a.ms))} ms`);

  await own.start();
  const deadline = Date.now() + 10_000;
  while ((await fetch(`${base}/readyz`)).status !== 200) {
    assert.ok(Date.now() < deadline, 'ready again without a restart');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const login = await formBefore.post('/kirjaudu', { memberNumber: LIISA[0], password: LIISA[1] });
  assert.equal(login.status, 303, `the login form loaded before the outage works after it: ${visibleText(login.text).slice(0, 200)}`);
  assert.equal((await member.get('/omat-tiedot')).status, 200, 'the member\'s session outlived the outage');
  assert.equal((await swedish.get('/kirjaudu')).status, 200);
});
