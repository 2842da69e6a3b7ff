import { test } from 'node:test';
import { SWEDISH, axeRuns, settled, staffPage } from '../helpers/admin-axe.js';
import { ESIMERKKILA } from '../helpers/demo-accounts.js';

/** As admin-accessibility.test.ts, in Swedish at 1280 px. */
const runs = axeRuns(SWEDISH, 1280, ['federation']);

test('the skip link and the lists\' checkboxes are named from the catalog in this language', async () => {
  const portal = runs.portal();
  const page = await staffPage(runs.browser(), portal, ESIMERKKILA, 1280, SWEDISH);
  await page.goto(`${portal.base}/admin/resources/members`);
  await settled(page);
  await page.getByRole('link', { name: 'Hoppa till huvudinnehållet', exact: true }).waitFor({ state: 'attached' });
  await page.getByRole('checkbox', { name: 'Välj alla', exact: true }).waitFor({ state: 'attached' });
  await page.getByRole('checkbox', { name: 'Välj: Maija Meikäläinen (100001)', exact: true }).waitFor({ state: 'attached' });
  await page.context().close();
});
