import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { Browser, Locator } from 'playwright-core';
import { FINNISH, SWEDISH, staffPage, type Language } from '../helpers/admin-axe.js';
import { launchBrowser } from '../helpers/browser.js';
import { ESIMERKKILA } from '../helpers/demo-accounts.js';
import { Keyboard } from '../helpers/keyboard.js';
import { startPortal, type Portal } from '../helpers/portal.js';

/**
 * The new-member form («Uusi» on Jäsenet) saved with problems, by keyboard, in Chromium: the staff
 * member sees each problem under its field in their language, the «Lomakkeessa on virheitä» notice
 * is an alert (read out), and each field with a problem is marked invalid and described by its
 * message. Before, a required field left empty made the browser refuse to send the form with only
 * its own bubble (in the browser's language; nothing at all here): no request, no word on the page.
 * The server's side is test/integration/admin-form-errors.test.ts.
 */
let portal: Portal;
let browser: Browser;
before(async () => {
  portal = await startPortal();
  browser = await launchBrowser();
});

const CASES: Array<[Language, { number: string; firstName: string; save: string; alert: string; digits: string; required: string }]> = [
  [FINNISH, { number: 'Jäsennumero', firstName: 'Etunimi', save: 'Tallenna', alert: 'Lomakkeessa on virheitä. Tarkista ne alta.', digits: 'Jäsennumerossa voi olla vain numeroita (enintään 12).', required: 'Tämä tieto tarvitaan.' }],
  [SWEDISH, { number: 'Medlemsnummer', firstName: 'Förnamn', save: 'Spara', alert: 'Formuläret innehåller fel. Kontrollera dem nedan.', digits: 'Medlemsnumret får bara innehålla siffror (högst 12).', required: 'Den här uppgiften behövs.' }],
];

/** The text of what describes an input (aria-describedby), as a screen reader reads it after the name. */
const description = (input: Locator) =>
  input.evaluate((element) => (element.getAttribute('aria-describedby') ?? '').split(/\s+/).map((id) => document.getElementById(id)?.textContent ?? '').join(' ').trim());

for (const [language, texts] of CASES) {
  test(`[${language.code}] the new-member form with «abc» as the number and no names shows each error on its field, announced`, async () => {
    const page = await staffPage(browser, portal, ESIMERKKILA, 1440, language);
    const before = await portal.db('members').count({ n: '*' }).first();
    await page.goto(`${portal.base}/admin/resources/members/actions/new`);
    // A required field's label starts with AdminJS's «*».
    // Named without the asterisk that marks a required field on screen (focus-styles.tsx).
    const number = page.getByRole('textbox', { name: texts.number, exact: true });
    const firstName = page.getByRole('textbox', { name: texts.firstName, exact: true });
    await number.waitFor();
    const keys = new Keyboard(page);
    await keys.tabTo(number);
    await keys.type('abc');
    await keys.tabTo(page.getByRole('button', { name: texts.save, exact: true }));
    await keys.press('Enter');

    await page.getByRole('alert').getByText(texts.alert, { exact: true }).waitFor();
    await page.getByText(texts.digits, { exact: true }).waitFor();
    assert.equal(await page.getByText(texts.required, { exact: true }).count(), 2, 'both names are reported');
    assert.equal(await number.getAttribute('aria-invalid'), 'true');
    assert.equal(await description(number), texts.digits);
    assert.equal(await firstName.getAttribute('aria-invalid'), 'true');
    assert.equal(await description(firstName), texts.required);
    assert.equal(await number.getAttribute('required'), '', 'the field is still marked required for screen readers');
    assert.match(page.url(), /\/actions\/new$/, 'the form stays open with what was typed');
    assert.equal(await number.inputValue(), 'abc');

    // Corrected, the field is no longer invalid once the next save has answered.
    await keys.tabTo(number);
    await page.keyboard.press('ControlOrMeta+A');
    await keys.type('100777');
    await keys.tabTo(page.getByRole('button', { name: texts.save, exact: true }));
    await keys.press('Enter');
    await page.getByText(texts.digits, { exact: true }).waitFor({ state: 'detached' });
    await page.waitForFunction(() => document.querySelector('input[name="member_number"]')?.getAttribute('aria-invalid') === null);
    assert.equal(await description(firstName), texts.required, 'the names still have their errors');
    assert.deepEqual(await portal.db('members').count({ n: '*' }).first(), before, 'nothing was saved');
    assert.deepEqual(keys.problems(), [], keys.problems().join('\n'));
    await page.context().close();
  });
}
