import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../helpers/browser.js';
import { startPortal, type Portal } from '../helpers/portal.js';

/**
 * The back-office login when the address (an office, a proxy) is over its failure limit: staff are
 * told about the network in Finnish, not that their own email address is blocked.
 */
let portal: Portal;
let browser: Browser;
before(async () => {
  portal = await startPortal();
  browser = await launchBrowser();
});

test('At an address over its limit the staff login page says the network is blocked, not the email address', async () => {
  await portal.db('rate_limits').insert({ key: 'login-client:127.0.0.1', points: 100, expire: Date.now() + 15 * 60_000 });
  const context = await browser.newContext({ locale: 'fi-FI' });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  await page.goto(`${portal.base}/admin/login`);
  await page.locator('input[name="email"]').fill('sihteeri@mallila.example');
  await page.locator('input[name="password"]').fill('Demo-mallila-1');
  await page.getByRole('button', { name: 'Kirjaudu sisään', exact: true }).click();
  await page
    .getByText(/^Tästä verkosta on tullut liian monta epäonnistunutta kirjautumisyritystä\. Kirjautuminen tästä verkosta on estetty hetkeksi\./)
    .waitFor({ state: 'visible' });
  assert.equal(await page.getByText(/sähköpostiosoitteella on estetty/).count(), 0);
  assert.equal(await page.getByText('tooManyFromNetwork').count(), 0);
  await context.close();
});
