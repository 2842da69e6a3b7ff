import { test } from 'node:test';
import { ENGLISH, axeRuns, settled, staffPage } from '../helpers/admin-axe.js';
import { ESIMERKKILA } from '../helpers/demo-accounts.js';

/** As admin-accessibility.test.ts, in English at 1280 px. */
const runs = axeRuns(ENGLISH, 1280, ['federation']);

test('the skip link and the lists\' checkboxes are named from the catalog in this language', async () => {
  const portal = runs.portal();
  const page = await staffPage(runs.browser(), portal, ESIMERKKILA, 1280, ENGLISH);
  await page.goto(`${portal.base}/admin/resources/members`);
  await settled(page);
  await page.getByRole('link', { name: 'Skip to main content', exact: true }).waitFor({ state: 'attached' });
  await page.getByRole('checkbox', { name: 'Select all', exact: true }).waitFor({ state: 'attached' });
  await page.getByRole('checkbox', { name: 'Select: Maija Meikäläinen (100001)', exact: true }).waitFor({ state: 'attached' });
  await page.context().close();
});
