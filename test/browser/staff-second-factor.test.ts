import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, focusIsVisible, focusStyle, launchBrowser, signInAsStaff } from '../helpers/browser.js';
import { FEDERATION } from '../helpers/demo-accounts.js';
import { startPortal, type Portal } from '../helpers/portal.js';
import { totpCode, wrongCode } from '../helpers/second-factor.js';

/**
 * Staff TOTP in Chromium with STAFF_MFA=required, as a new staff member meets it: the first login
 * leads to enrolment, the key is read off the page as text (as someone who cannot scan the QR code
 * reads it), the code is computed from it, the recovery codes are shown, and the next login asks
 * for a code. The back-office's CSP stays in force (no bypassCSP): axe is evaluated through the
 * debugging protocol, which the CSP does not govern, and any CSP report fails the test. Every page
 * on the way has 0 axe violations, also at 320 px wide.
 */
let portal: Portal;
let browser: Browser;
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

before(async () => {
  portal = await startPortal({ STAFF_MFA: 'required' });
  browser = await launchBrowser();
});

async function newPage(width = 1280): Promise<{ page: Page; cspReports: string[] }> {
  const context = await browser.newContext({ viewport: { width, height: 900 }, locale: 'fi-FI' });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const cspReports: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspReports.push(message.text());
  });
  return { page, cspReports };
}

/** axe's violations, and whether the page scrolls sideways at this width (WCAG 1.4.10 at 320 px). */
async function check(page: Page, label: string): Promise<void> {
  await page.waitForLoadState('load');
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  assert.deepEqual(await axeViolations(page), [], `${label}: axe`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `${label}: no sideways scrolling (${overflow}px too wide)`);
}

const passwordLogin = (page: Page) => signInAsStaff(page, portal.base, FEDERATION, { dashboard: false });

test('first login enrols by the key shown as text; the next login takes the code; every page passes axe, also at 320 px', async () => {
  const { page, cspReports } = await newPage();
  await passwordLogin(page);
  await page.waitForURL(`${portal.base}/admin/kaksivaiheinen/kayttoonotto`);
  await page.getByRole('heading', { level: 1, name: 'Ota kaksivaiheinen tunnistus käyttöön' }).waitFor();
  const qr = page.getByRole('img', { name: /^QR-koodi todennussovellukselle/ });
  assert.ok(await qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), 'the QR code image shows under the CSP');
  await check(page, 'enrolment page');

  const secret = (await page.locator('#totp-secret').innerText()).replace(/\s/g, '');
  assert.match(secret, /^[A-Z2-7]{32}$/);
  await page.getByLabel('Tunnistuskoodi').fill(wrongCode(secret));
  await page.getByRole('button', { name: 'Ota käyttöön', exact: true }).click();
  await page.getByRole('heading', { level: 2, name: 'Tarkista seuraavat kohdat' }).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-error-summary')), '', 'the error summary takes focus');
  await check(page, 'enrolment page with an error');

  await page.getByLabel('Tunnistuskoodi').fill(totpCode(secret));
  await page.getByRole('button', { name: 'Ota käyttöön', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Kaksivaiheinen tunnistus on käytössä' }).waitFor();
  assert.equal(await page.locator('#recovery-codes li').count(), 10);
  await check(page, 'recovery codes page');
  await page.getByRole('link', { name: 'Olen tallentanut koodit – siirry ylläpitoon' }).click();
  await page.getByRole('heading', { name: 'Yhdistysten tilanne', exact: true }).waitFor();

  await page.goto(`${portal.base}/admin/logout`);
  await check(page, 'logout page');
  await page.getByRole('button', { name: 'Kirjaudu ulos', exact: true }).click();
  await page.waitForURL(`${portal.base}/admin/login`);

  await page.setViewportSize({ width: 320, height: 800 });
  await passwordLogin(page);
  await page.waitForURL(`${portal.base}/admin/kaksivaiheinen`);
  await page.getByRole('heading', { level: 1, name: 'Kirjoita tunnistuskoodi' }).waitFor();
  await check(page, 'code page at 320 px');
  const field = page.getByLabel('Tunnistuskoodi');
  assert.equal(await field.getAttribute('autocomplete'), 'one-time-code');
  assert.equal(await field.getAttribute('inputmode'), 'numeric');
  await field.focus();
  const focus = await focusStyle(page);
  assert.ok(focus && focusIsVisible(focus), `focus is visible on the code field: ${JSON.stringify(focus)}`);
  await page.keyboard.type(totpCode(secret, Date.now(), 1));
  await page.keyboard.press('Enter');
  await page.waitForURL(`${portal.base}/admin`);
  await page.getByRole('heading', { name: 'Yhdistysten tilanne', exact: true }).waitFor();
  assert.deepEqual(cspReports, [], 'the CSP blocked nothing');
});

test('the recovery-code page passes axe, with and without an error, at 320 px', async () => {
  const { page, cspReports } = await newPage(320);
  await passwordLogin(page);
  await page.waitForURL(`${portal.base}/admin/kaksivaiheinen`);
  await page.getByRole('link', { name: 'Kirjaudu varakoodilla' }).click();
  await page.getByRole('heading', { level: 1, name: 'Kirjaudu varakoodilla' }).waitFor();
  await check(page, 'recovery-code page');
  await page.getByLabel('Varakoodi').fill('aaaaa-aaaaa');
  await page.getByRole('button', { name: 'Kirjaudu sisään', exact: true }).click();
  await page.getByText('Varakoodi ei ole oikein, tai se on jo käytetty.').first().waitFor();
  await check(page, 'recovery-code page with an error');
  assert.deepEqual(cspReports, []);
});
