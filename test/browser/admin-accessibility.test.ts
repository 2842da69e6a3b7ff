import { test } from 'node:test';
import { FINNISH, axeRuns, settled, staffPage } from '../helpers/admin-axe.js';
import { ESIMERKKILA } from '../helpers/demo-accounts.js';

/**
 * The staff back-office (AdminJS at /admin) has no axe-core WCAG 2.0/2.1/2.2 A or AA violation in the
 * states staff meet, as federation staff at 1280 px (the sidebar off screen) in Finnish; the files
 * admin-accessibility-*.test.ts do 1440 px, Swedish and English, and association staff
 * (admin-accessibility-association*.test.ts).
 * The states: the dashboard, every list with its filters open, the member page, the confirmations
 * («Lähetä salasanalinkki» when a link can go and when it cannot, deleting an association, the bulk
 * sends, «Nollaa kaksivaiheinen tunnistus»), the custom actions (mail status, resolving a case and
 * its error, «Tulosta aktivointikirje» for one, the selected and all without email, «Lähetä kutsu
 * uudelleen») and the forms with their errors shown: a member's, a new member's, a new association's
 * and a new staff account's (test/helpers/admin-axe.ts). The axe runs bypass the CSP (axe is injected as an inline
 * script); admin-flow.test.ts checks that the CSP blocks nothing on these pages.
 */
const runs = axeRuns(FINNISH, 1280, ['federation']);

test('The names our components give (control-names.ts among them) are the visible texts', async () => {
  const portal = runs.portal();
  const page = await staffPage(runs.browser(), portal, ESIMERKKILA, 1280, FINNISH);
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
