import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../helpers/browser.js';
import { MALLILA } from '../helpers/demo-accounts.js';
import { startPortal, type Portal } from '../helpers/portal.js';

/**
 * The back-office with its nonce CSP in force (no bypassCSP): AdminJS's pages work and report no
 * violation, and a script smuggled into a page through data (a staff member's name, which AdminJS
 * writes into its page state) neither runs nor breaks the page.
 */
let portal: Portal;
let browser: Browser;

before(async () => {
  portal = await startPortal();
  browser = await launchBrowser();
});

async function newPage(): Promise<{ page: Page; violations: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'fi-FI' });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  return { page, violations };
}

async function staffLogin(page: Page, email: string, password: string) {
  await page.goto(`${portal.base}/admin/login`);
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="password"]').fill(password);
  await page.getByRole('button', { name: 'Kirjaudu sisään', exact: true }).click();
  await page.waitForURL(`${portal.base}/admin`);
}

test('AdminJS pages render and work under the nonce CSP, with no violation reported', async () => {
  const { page, violations } = await newPage();
  await page.goto(`${portal.base}/admin/login`);
  await page.locator('input[name="email"]').waitFor({ state: 'visible' });
  await staffLogin(page, ...MALLILA);
  for (const path of ['/admin', '/admin/resources/not_found_cases', '/admin/resources/mail_queue', '/admin/resources/members']) {
    await page.goto(`${portal.base}${path}`);
    await page.getByRole('link', { name: 'Jäsenet', exact: true }).or(page.getByText('Jäsenrekisteri', { exact: true })).first().waitFor({ state: 'visible' });
  }
  await page.locator('table tbody tr').first().waitFor({ state: 'visible' });
  assert.deepEqual(violations, []);
});

test("a script in a staff member's name neither runs nor breaks the back-office page", async () => {
  await portal.db('staff_users').where({ email: MALLILA[0] }).update({ name: 'Mallilan </script><script>window.__injected = 1</script> sihteeri' });
  const { page } = await newPage();
  await staffLogin(page, ...MALLILA);
  await page.goto(`${portal.base}/admin/resources/members`);
  await page.locator('table tbody tr').first().waitFor({ state: 'visible' });
  assert.equal(await page.evaluate(() => (window as unknown as { __injected?: number }).__injected), undefined, 'the injected script did not run');
  const state = await page.evaluate(() => (window as unknown as { REDUX_STATE?: { session?: { name?: string } } }).REDUX_STATE?.session?.name);
  assert.equal(state, 'Mallilan </script><script>window.__injected = 1</script> sihteeri', 'the name reached the page as plain data');
});
