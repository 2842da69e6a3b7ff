import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { LANGUAGES, prepareAxeData, staffPage, violationsInEveryState, type AxeData } from '../helpers/admin-axe.js';
import { launchBrowser } from '../helpers/browser.js';
import { ESIMERKKILA, FEDERATION } from '../helpers/demo-accounts.js';
import { startPortal, type Portal } from '../helpers/portal.js';

/**
 * As admin-accessibility.test.ts, at 1440 px: the sidebar is always on screen, the ☰ button gone.
 * (One width a file: each file's runs must finish within the test runner's time for one file.)
 */
const WIDTH = 1440;
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
