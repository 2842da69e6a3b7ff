import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { FINNISH, LANGUAGES, prepareAxeData, settled, staffPage, violationsInEveryState, type AxeData } from '../helpers/admin-axe.js';
import { launchBrowser } from '../helpers/browser.js';
import { ESIMERKKILA, FEDERATION } from '../helpers/demo-accounts.js';
import { startPortal, type Portal } from '../helpers/portal.js';

/**
 * The staff back-office (AdminJS at /admin) has no axe-core WCAG 2.0/2.1/2.2 A or AA violation in the
 * states staff meet, as federation staff and as association staff, at 1280 px (the sidebar off
 * screen; admin-accessibility-wide.test.ts: 1440 px): the dashboard, every list with its filters
 * open, the member page, the confirmations («Lähetä salasanalinkki» when a link can go and when it
 * cannot, deleting an association, the bulk sends), the custom actions (mail status, resolving a
 * case) and a member's form with its errors shown. The axe runs bypass the CSP (axe is injected as
 * an inline script); admin-flow.test.ts checks that the CSP blocks nothing on these pages.
 * The states and languages are in test/helpers/admin-axe.ts (a language is one entry of LANGUAGES).
 */
const WIDTH = 1280;
let portal: Portal;
let browser: Browser;
let ids: AxeData;
before(async () => {
  portal = await startPortal();
  browser = await launchBrowser();
  ids = await prepareAxeData(portal);
});

for (const language of LANGUAGES) {
  test(`[${language.code}, ${WIDTH} px] federation staff: no axe violation in any back-office state`, async () => {
    const page = await staffPage(browser, portal, FEDERATION, WIDTH, language);
    const found = await violationsInEveryState(page, portal, ids, language, true);
    assert.deepEqual(found, [], found.join('\n'));
    await page.context().close();
  });

  test(`[${language.code}, ${WIDTH} px] association staff: no axe violation in any state they can reach`, async () => {
    const page = await staffPage(browser, portal, ESIMERKKILA, WIDTH, language);
    const found = await violationsInEveryState(page, portal, ids, language, false);
    assert.deepEqual(found, [], found.join('\n'));
    await page.context().close();
  });
}

test('The names our components and the accessibility script give are the visible texts', async () => {
  const page = await staffPage(browser, portal, ESIMERKKILA, 1280, FINNISH);
  await page.goto(`${portal.base}/admin/resources/members`);
  await settled(page);
  // The count badge no longer runs into the heading's text («Jäsenet3»).
  await page.getByRole('heading', { level: 2, name: 'Jäsenet (3)', exact: true }).waitFor();
  await page.getByRole('checkbox', { name: 'Valitse kaikki', exact: true }).waitFor({ state: 'attached' });
  // A row's checkbox is named by the member it selects.
  await page.getByRole('checkbox', { name: 'Valitse: Maija Meikäläinen (100001)', exact: true }).waitFor({ state: 'attached' });
  await page.getByRole('button', { name: 'Suodata', exact: true }).click();
  await settled(page);
  // A filter's label now also belongs to its input, as AdminJS meant.
  await page.getByLabel('Jäsennumero', { exact: true }).fill('100001');
  await page.getByRole('combobox', { name: 'Jäsenyys', exact: true }).waitFor();
  await page.getByRole('button', { name: 'Sulje suodattimet', exact: true }).click();

  await page.goto(`${portal.base}/admin/resources/not_found_cases`);
  await page.getByRole('button', { name: 'Suodata', exact: true }).click();
  await settled(page);
  // A date range's two inputs: the property's label and the «- Alkaen:» / «- Päättyen:» before each.
  await page.getByRole('textbox', { name: 'Aika - Alkaen:', exact: true }).waitFor();
  await page.getByRole('textbox', { name: 'Aika - Päättyen:', exact: true }).waitFor();
  await page.context().close();
});
