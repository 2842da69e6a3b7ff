import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, launchBrowser } from '../helpers/browser.js';
import { startPortal, type Portal } from '../helpers/portal.js';

/**
 * The staff back-office (AdminJS at /admin) has no axe-core WCAG 2.0/2.1/2.2 A or AA violation on
 * any page staff use, logged in as federation staff and as association staff: the dashboard, every
 * resource's list with its filter drawer open, a member's show, edit and mail-status pages, the new
 * member form and the bulk send page. What makes AdminJS's own pages pass: darker greys in the
 * theme (admin/index.ts) and admin/static/admin-a11y.js, which names AdminJS's unnamed controls.
 * The axe runs bypass the CSP (axe is injected as an inline script); admin-flow.test.ts checks
 * that the CSP blocks nothing on these pages.
 */
let portal: Portal;
let browser: Browser;
before(async () => {
  portal = await startPortal();
  browser = await launchBrowser();
});

const LISTS = ['members', 'associations', 'not_found_cases', 'mail_queue', 'audit_log', 'staff_users'];

async function staffPage(email: string, password: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'fi-FI', bypassCSP: true });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  await page.goto(`${portal.base}/admin/login`);
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="password"]').fill(password);
  await page.getByRole('button', { name: 'Kirjaudu sisään', exact: true }).click();
  await page.waitForURL(`${portal.base}/admin`);
  return page;
}

/**
 * Waits until the page has settled: no requests in flight, then two animation frames, by which time
 * the accessibility script's MutationObserver (run after each React commit) has seen the last change.
 */
async function settled(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

/** axe's violations on each page, as `path: violation` lines; the lists with their filter drawer open. */
async function violationsOnEveryPage(page: Page, lists: string[]): Promise<string[]> {
  const maija = await portal.db('members').where({ member_number: '100001' }).first();
  const found: string[] = [];
  const check = async (label: string) => {
    await settled(page);
    found.push(...(await axeViolations(page)).map((violation) => `${label}: ${violation}`));
  };

  await page.goto(`${portal.base}/admin`);
  await page.getByRole('heading', { name: 'Yhdistysten tilanne', exact: true }).waitFor();
  await check('/admin');
  for (const resource of lists) {
    const path = `/admin/resources/${resource}`;
    await page.goto(`${portal.base}${path}`);
    await page.getByRole('heading', { level: 2, name: /^Luettelo/ }).waitFor();
    // AdminJS's «Suodata» is an <a> without href: no role, so it is found by its text.
    await page.getByText('Suodata', { exact: true }).click();
    await page.getByRole('button', { name: 'Käytä suodattimia', exact: true }).waitFor();
    await check(`${path} (filters open)`);
  }
  for (const path of [
    `/admin/resources/members/records/${maija.id}/show`,
    `/admin/resources/members/records/${maija.id}/edit`,
    '/admin/resources/members/actions/new',
    '/admin/resources/members/actions/sendToAllWaiting',
    `/admin/resources/members/records/${maija.id}/mailStatus`,
  ]) {
    await page.goto(`${portal.base}${path}`);
    await check(path);
  }
  return found;
}

test('Federation staff: no axe violation on any back-office page, filters open', async () => {
  const page = await staffPage('jasenpalvelut@liitto.example', 'Demo-jasenpalvelut-1');
  const found = await violationsOnEveryPage(page, LISTS);
  assert.deepEqual(found, [], found.join('\n'));
  await page.context().close();
});

test('Association staff: no axe violation on any back-office page they can open, filters open', async () => {
  const page = await staffPage('sihteeri@esimerkkila.example', 'Demo-esimerkkila-1');
  // Staff users are the federation's alone (federationOnlyResource in admin/index.ts).
  const found = await violationsOnEveryPage(page, LISTS.filter((list) => list !== 'staff_users'));
  assert.deepEqual(found, [], found.join('\n'));
  await page.context().close();
});

test('The names the accessibility script gives are the visible texts', async () => {
  const page = await staffPage('sihteeri@esimerkkila.example', 'Demo-esimerkkila-1');
  await page.goto(`${portal.base}/admin/resources/members`);
  await settled(page);
  // The count badge no longer runs into the heading's text («Luettelo3»).
  await page.getByRole('heading', { level: 2, name: 'Luettelo (3)', exact: true }).waitFor();
  await page.getByRole('checkbox', { name: 'Valitse kaikki', exact: true }).waitFor({ state: 'attached' });
  // A row's checkbox is named by the row's first cell, the member number.
  await page.getByRole('checkbox', { name: 'Valitse rivi: 100001', exact: true }).waitFor({ state: 'attached' });
  await page.getByText('Suodata', { exact: true }).click();
  await settled(page);
  // A filter's label now also belongs to its input, as AdminJS meant.
  await page.getByLabel('Jäsennumero', { exact: true }).fill('100001');
  await page.getByRole('combobox', { name: 'Jäsenyys', exact: true }).waitFor();
  await page.getByRole('button', { name: 'Sulje suodattimet', exact: true }).click();

  await page.goto(`${portal.base}/admin/resources/not_found_cases`);
  await page.getByText('Suodata', { exact: true }).click();
  await settled(page);
  // A date range's two inputs: the property's label and the «- Alkaen:» / «- Päättyen:» before each.
  await page.getByRole('textbox', { name: 'Aika - Alkaen:', exact: true }).waitFor();
  await page.getByRole('textbox', { name: 'Aika - Päättyen:', exact: true }).waitFor();
  await page.context().close();
});
