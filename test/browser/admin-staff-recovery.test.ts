import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { hashPassword } from '../../src/passwords/hashing.js';
import { axeViolations, launchBrowser } from '../helpers/browser.js';
import { ESIMERKKILA } from '../helpers/demo-accounts.js';
import { linksIn, startPortal, type Portal } from '../helpers/portal.js';

/**
 * A staff member who forgot the password, by keyboard alone: from the back-office login to
 * «Unohditko salasanan?», the mailed link, a new password and the dashboard. Every page on the way
 * passes axe (WCAG 2.2 AA).
 */
let portal: Portal;
let browser: Browser;
before(async () => {
  portal = await startPortal();
  browser = await launchBrowser();
});

/** Tabs until the focused element is the one wanted (at most `limit` presses), and says what it was. */
async function tabTo(page: Page, matches: (text: string, tag: string) => boolean, limit = 20): Promise<void> {
  for (let press = 0; press < limit; press++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => ({ text: (document.activeElement?.textContent ?? '').trim(), tag: document.activeElement?.tagName ?? '' }));
    if (matches(focused.text, focused.tag)) return;
  }
  assert.fail('the element was not reached by Tab');
}

test('«Unohditko salasanan?» by keyboard: order a link on the login page, set a new password, log in', async () => {
  // bypassCSP only lets the test inject axe-core; the app's own scripts run under its CSP as always.
  const context = await browser.newContext({ locale: 'fi-FI', bypassCSP: true, viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  await page.goto(`${portal.base}/admin/login`);
  await page.getByRole('heading', { level: 1, name: 'Tervetuloa ylläpitoon' }).waitFor();
  assert.deepEqual(await axeViolations(page), [], 'login page');
  assert.equal(await page.getByLabel('Sähköposti').getAttribute('autocomplete'), 'username');
  assert.equal(await page.getByLabel('Salasana').getAttribute('autocomplete'), 'current-password');

  await tabTo(page, (text, tag) => tag === 'A' && text === 'Unohditko salasanan?');
  await page.keyboard.press('Enter');
  await page.waitForURL(`${portal.base}/admin/unohtunut-salasana`);
  assert.deepEqual(await axeViolations(page), [], 'forgot-password page');
  await tabTo(page, (_text, tag) => tag === 'INPUT');
  await page.keyboard.type(ESIMERKKILA[0]);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: 'Tarkista sähköpostisi' }).waitFor();
  assert.deepEqual(await axeViolations(page), [], 'sent page');

  await portal.deliverMail();
  const [mail] = await portal.smtp.waitFor(1);
  await page.goto(`${portal.base}${new URL(linksIn(mail!.text)[0]!).pathname}`);
  await page.getByLabel('Uusi salasana').fill('Esimerkkilän uusi salasana');
  await page.getByRole('button', { name: 'Vaihda salasana' }).click();
  await page.getByRole('link', { name: 'Kirjaudu ylläpitoon' }).first().waitFor();
  await page.goto(`${portal.base}/admin/login`);
  await page.getByLabel('Sähköposti').fill(ESIMERKKILA[0]);
  await page.getByLabel('Salasana').fill('Esimerkkilän uusi salasana');
  await page.getByLabel('Salasana').press('Enter');
  await page.waitForURL(`${portal.base}/admin`);
  await context.close();
  const staff = await portal.db('staff_users').where({ email: ESIMERKKILA[0] }).first('id');
  await portal.db('staff_credentials').where({ staff_user_id: staff.id }).update({ password_hash: await hashPassword(ESIMERKKILA[1], 10) });
});

test('the login page offers its languages, each named in itself; the choice lasts to the forgot-password page', async () => {
  const context = await browser.newContext({ locale: 'fi-FI', bypassCSP: true, viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  await page.goto(`${portal.base}/admin/login`);
  const languages = page.getByRole('navigation', { name: 'Kieli' });
  assert.equal(await languages.getByRole('link', { name: 'Suomi' }).getAttribute('aria-current'), 'true');
  assert.equal(await languages.getByRole('link', { name: 'Svenska' }).getAttribute('lang'), 'sv');
  await languages.getByRole('link', { name: 'Svenska' }).click();
  await page.getByRole('heading', { level: 1, name: 'Välkommen till administrationen' }).waitFor();
  assert.equal(await page.getAttribute('html', 'lang'), 'sv');
  assert.deepEqual(await axeViolations(page), [], 'login page in Swedish');
  await page.getByRole('link', { name: 'Har du glömt lösenordet?' }).click();
  await page.getByRole('heading', { level: 1, name: 'Har du glömt lösenordet?' }).waitFor();
  await context.close();
});
