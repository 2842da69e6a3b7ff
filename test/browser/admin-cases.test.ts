import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { axeViolations, launchBrowser, onPortal, setPasswordLink, signInAsStaff } from '../helpers/browser.js';
import { FEDERATION } from '../helpers/demo-accounts.js';
import { startPortal, type Portal } from '../helpers/portal.js';

/**
 * A "user not found" case from both sides, in Chromium by the visible texts: a member's order fails,
 * they send the request form; member services open the case, choose the suggested member by
 * keyboard (no number typed) and resolve it; the member sets a password from the mail and logs in;
 * no case is left open, and the audit log shows each step in plain Finnish.
 */
let portal: Portal;
let browser: Browser;
before(async () => {
  portal = await startPortal();
  browser = await launchBrowser();
});

async function newPage(options: { bypassCSP?: boolean } = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'fi-FI', ...options });
  context.setDefaultTimeout(10_000);
  return context.newPage();
}

const sees = (locator: Locator) => locator.waitFor({ state: 'visible' });

test('a failed order and the request form become one case; member services resolve it from the suggestion; the member logs in', async () => {
  const member = await newPage();
  await member.goto(`${portal.base}/tilaa-salasana`);
  await member.getByLabel('Sähköpostiosoite', { exact: true }).fill('pekka.puuttuva@example.fi');
  await member.getByRole('button', { name: 'Tilaa uusi salasana', exact: true }).click();
  await sees(member.getByRole('heading', { name: 'Käyttäjää ei löydy', exact: true }));
  await member.getByLabel('Jäsennumero', { exact: true }).fill('200002');
  await member.getByLabel('Nimesi', { exact: true }).fill('Pekka Puuttuva');
  await member.getByRole('button', { name: 'Lähetä pyyntö', exact: true }).click();
  await sees(member.getByText('Kiitos. Pyyntösi on välitetty.', { exact: false }));
  const open = await portal.db('not_found_cases').whereNull('resolved_at').where({ address: 'pekka.puuttuva@example.fi' });
  assert.equal(open.length, 1, 'one case');
  assert.equal(open[0].name, 'Pekka Puuttuva');

  const staff = await newPage({ bypassCSP: true });
  await signInAsStaff(staff, portal.base, FEDERATION);
  await staff.goto(`${portal.base}/admin/resources/not_found_cases/records/${open[0].id}/resolve`);
  await sees(staff.getByRole('heading', { name: 'Ratkaise tapaus', exact: true }));
  const suggestion = staff.getByRole('radio', { name: /^Pekka Puuttuva \(200002\), Mallilan Invalidit ry\. Pyynnössä annettu jäsennumero\. Ei nykyistä osoitetta\. Salasanalinkki voidaan lähettää\.$/ });

  await sees(suggestion);
  assert.deepEqual(await axeViolations(staff), [], 'the resolve form passes axe');

  // By keyboard: the suggestion is chosen with Space, the form sent with Enter on its button.
  await suggestion.focus();
  await staff.keyboard.press('Space');
  assert.equal(await suggestion.isChecked(), true);
  await staff.getByRole('button', { name: 'Lisää osoite, lähetä linkki ja sulje tapaus', exact: true }).focus();
  await staff.keyboard.press('Enter');
  await sees(staff.getByText('Tapaus ratkaistu: osoite pekka.puuttuva@example.fi lisättiin jäsenelle 200002, salasanalinkki on lähtemässä ja tapaus suljettiin.', { exact: true }));
  await sees(staff.getByText('Tapaus on ratkaistu.', { exact: true }));
  assert.deepEqual(await axeViolations(staff), [], 'and after resolving');
  assert.equal((await portal.db('not_found_cases').whereNull('resolved_at').count({ n: '*' }).first())?.n, 0, 'no case is left open');

  assert.equal(await portal.deliverMail(), 1);
  const [mail] = await portal.smtp.waitFor(1);
  await member.goto(onPortal(setPasswordLink(mail!, 'Jäsennumero: 200002'), portal.base));
  await member.getByLabel('Uusi salasana', { exact: true }).fill('Pekan oma kesäinen lause');
  await member.getByRole('button', { name: 'Vaihda salasana', exact: true }).click();
  await sees(member.getByRole('heading', { level: 1, name: 'Salasana on vaihdettu', exact: true }));
  await member.goto(`${portal.base}/kirjaudu`);
  await member.getByLabel('Jäsennumero', { exact: true }).fill('200002');
  await member.getByLabel('Salasana', { exact: true }).fill('Pekan oma kesäinen lause');
  await member.getByRole('button', { name: 'Kirjaudu sisään', exact: true }).click();
  await sees(member.getByRole('heading', { level: 1, name: 'Omat tiedot', exact: true }));

  // The audit log tells the story in plain Finnish: who, what, whom, and the change as old → new.
  await staff.goto(`${portal.base}/admin/resources/audit_log`);
  const rows = staff.locator('table tbody tr');
  const resolvedRow = rows.filter({ hasText: 'Käyttäjää ei löydy -tapaus ratkaistiin' }).first();
  await sees(resolvedRow);
  assert.match(await resolvedRow.innerText(), /Liiton jäsenpalvelut <jasenpalvelut@liitto\.example>/);
  const changedRow = rows.filter({ hasText: 'Sähköpostiosoite muutettu' }).first();
  assert.match(await changedRow.innerText(), /Sähköposti: – → pekka\.puuttuva@example\.fi/);
  await sees(rows.filter({ hasText: 'Asetti salasanan linkillä' }).first());
  await sees(rows.filter({ hasText: 'Kirjautui sisään' }).first());
  assert.doesNotMatch(await staff.locator('table').innerText(), /member\.email-changed|case\.resolved|\[object Object\]/);
  assert.deepEqual(await axeViolations(staff), [], 'the audit log passes axe');

  await member.context().close();
  await staff.context().close();
});

test('a morning\'s queue by keyboard: each case leads to the next; one no member can be given is closed with a reason; the audit log says so', async () => {
  await portal.db('not_found_cases').whereNull('resolved_at').delete();
  const [ended] = await portal.db('not_found_cases').insert({ email_typed: 'ulla.ulkona@gmail.example', name: 'Ulla Ulkona' }).returning('id');
  const [maija] = await portal.db('not_found_cases').insert({ email_typed: 'maija.meikalainen@koti.example' }).returning('id');
  const staff = await newPage({ bypassCSP: true });
  await signInAsStaff(staff, portal.base, FEDERATION);
  const focusedText = () => staff.evaluate(() => document.activeElement?.textContent ?? '');

  // Ulla's membership has ended: no link can be sent, so the case is closed with that reason.
  await staff.goto(`${portal.base}/admin/resources/not_found_cases/records/${ended.id}/resolve`);
  await sees(staff.getByRole('heading', { name: 'Ratkaise tapaus', exact: true }));
  const reason = staff.getByRole('radio', { name: 'Jäsenyys on päättynyt', exact: true });
  await reason.focus();
  await staff.keyboard.press('Space');
  await staff.getByRole('button', { name: 'Sulje tapaus ilman linkkiä', exact: true }).focus();
  await staff.keyboard.press('Enter');
  await sees(staff.getByText('Tapaus suljettu ilman linkkiä. Osoitetta ei lisätty kenellekään eikä viestiä lähetetty.', { exact: true }));
  assert.equal(await focusedText(), 'Tapaus on suljettu.', 'the outcome has the focus');
  assert.match(staff.url(), new RegExp(`/records/${ended.id}/show$`), 'a reload shows the case, not a form for a closed case');
  assert.deepEqual(await axeViolations(staff), [], 'the closed case\'s page passes axe');

  // The next open case is one Tab and Enter away.
  await staff.keyboard.press('Tab');
  assert.equal(await focusedText(), 'Seuraava avoin tapaus');
  await staff.keyboard.press('Enter');
  await staff.waitForURL(new RegExp(`/records/${maija.id}/resolve$`));
  const suggestion = staff.getByRole('radio', { name: /^Maija Meikäläinen \(100001\)/ });
  await sees(suggestion);
  await suggestion.focus();
  await staff.keyboard.press('Space');
  await staff.getByRole('button', { name: 'Lisää osoite, lähetä linkki ja sulje tapaus', exact: true }).focus();
  await staff.keyboard.press('Enter');
  await sees(staff.getByText('Muita avoimia tapauksia ei ole.', { exact: true }));
  assert.equal(await focusedText(), 'Tapaus on ratkaistu.');
  assert.equal((await portal.db('not_found_cases').whereNull('resolved_at').count({ n: '*' }).first())?.n, 0, 'the queue is empty');

  await staff.reload();
  await sees(staff.getByText('maija.meikalainen@koti.example', { exact: true }).first());
  assert.doesNotMatch(await staff.locator('body').innerText(), /\{\{|Sivua ei löydy|resolve/);

  await staff.goto(`${portal.base}/admin/resources/audit_log`);
  const rows = staff.locator('table tbody tr');
  const closedRow = rows.filter({ hasText: 'Käyttäjää ei löydy -tapaus suljettiin ilman linkkiä' }).first();
  await sees(closedRow);
  assert.match(await closedRow.innerText(), /Syy: jäsenyys on päättynyt/);
  const sendRow = rows.filter({ hasText: 'Linkkien lähetys aloitettiin' }).first();
  assert.match(await sendRow.innerText(), /Jäseniä: 1\b/, 'a count is shown as the number');
  await staff.context().close();
});
