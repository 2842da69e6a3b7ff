import assert from 'node:assert/strict';
import { before, beforeEach, test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { focusIsVisible, focusStyle, launchBrowser, onPortal, setPasswordLink } from '../helpers/browser.js';
import { startPortal, type Portal } from '../helpers/portal.js';
import { WebClient } from '../helpers/web-client.js';

/**
 * What a member does, in Chromium, by the visible Finnish texts: from the front page to a
 * set-password link by mail, the «PALAUTA SALASANA» page, login and logout. Once with the mouse,
 * once with the keyboard alone.
 */
let portal: Portal;
let browser: Browser;
before(async () => {
  portal = await startPortal();
  browser = await launchBrowser();
});
beforeEach(async () => {
  await portal.deliverMail(); // what an earlier test left queued (password-changed notices)
  portal.smtp.clear();
  await portal.db('rate_limits').delete();
});

/** A fresh browser profile for each test; the page's CSP is in force (no bypassCSP here). */
async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'fi-FI' });
  context.setDefaultTimeout(10_000);
  return context.newPage();
}

const heading = (page: Page, name: string) => page.getByRole('heading', { level: 1, name, exact: true });

/** Waits until the page shows the text (the assertion: it times out when the text never appears). */
async function sees(locator: Locator): Promise<void> {
  await locator.waitFor({ state: 'visible' });
}

/** The one set-password link the mail (sent to the shared address) has for this member number. */
async function linkFromMail(memberNumber: string): Promise<string> {
  assert.equal(await portal.deliverMail(), 1, 'one mail is sent');
  const [mail] = await portal.smtp.waitFor(1);
  assert.match(mail!.text ?? '', /jäsennumero 100001[\s\S]*jäsennumero 100002/, 'the mail lists both members of the address');
  return onPortal(setPasswordLink(mail!, `Jäsennumero: ${memberNumber}`), portal.base);
}

test('by mouse: «Jäsenille» → order a link → the mail → PALAUTA SALASANA → «Vaihda salasana» → log in → Omat tiedot → «Kirjaudu ulos»', async () => {
  const page = await newPage();
  await page.goto(portal.base);

  const forMembers = page.getByRole('banner').getByRole('link', { name: 'Jäsenille', exact: true });
  const box = await forMembers.boundingBox();
  assert.ok(box && box.y < 100 && box.x > 1280 / 2, `«Jäsenille» is at the top right, not at ${JSON.stringify(box)}`);
  const [red = 0, green = 0, blue = 0] = (await forMembers.evaluate((el) => getComputedStyle(el).backgroundColor)).match(/\d+/g)!.map(Number);
  assert.ok(blue > red + 80 && blue > green + 40, `«Jäsenille» is a blue button, not rgb(${red}, ${green}, ${blue})`);
  await forMembers.click();
  assert.equal(new URL(page.url()).pathname, '/kirjaudu');
  await sees(heading(page, 'Kirjaudu asiointipalveluun'));

  await page.getByRole('link', { name: 'Tilaa uusi salasana tästä', exact: true }).click();
  await sees(heading(page, 'TILAA UUSI SALASANA'));
  await page.getByLabel('Sähköpostiosoite', { exact: true }).fill('maija.meikalainen@example.fi');
  await page.getByRole('button', { name: 'Tilaa uusi salasana', exact: true }).click();
  await sees(page.getByText('Ohjeet salasanan vaihtamiseksi on lähetetty antamaasi sähköpostiosoitteeseen.', { exact: true }));

  await page.goto(await linkFromMail('100001'));
  await sees(heading(page, 'PALAUTA SALASANA'));
  const memberNumber = page.getByLabel('Jäsennumero', { exact: true });
  assert.equal(await memberNumber.inputValue(), '100001');
  assert.equal(await memberNumber.isEditable(), false, 'the member number is read-only');

  const password = page.getByLabel('Uusi salasana', { exact: true });
  await password.fill('Maijan oma salasana 2026');
  assert.equal(await password.getAttribute('type'), 'password');
  await page.getByLabel('Näytä salasana', { exact: true }).check();
  assert.equal(await password.getAttribute('type'), 'text', '«Näytä salasana» shows what was typed');
  await page.getByRole('button', { name: 'Vaihda salasana', exact: true }).click();
  await sees(heading(page, 'Salasana on vaihdettu'));

  await page.getByRole('link', { name: 'Kirjaudu sisään tästä', exact: true }).click();
  await page.getByLabel('Jäsennumero', { exact: true }).fill('100001');
  await page.getByLabel('Salasana', { exact: true }).fill('Maijan oma salasana 2026');
  await page.getByRole('button', { name: 'Kirjaudu sisään', exact: true }).click();
  await sees(heading(page, 'Omat tiedot'));
  const details = page.locator('dl');
  await sees(details.getByText('Maija Meikäläinen', { exact: true }));
  await sees(details.getByText('100001', { exact: true }));
  await sees(details.getByText('Esimerkkilän Invalidit ry', { exact: true }));

  await page.getByRole('main').getByRole('button', { name: 'Kirjaudu ulos', exact: true }).click();
  await sees(heading(page, 'Olet kirjautunut ulos'));
  await page.context().close();
});

/**
 * Presses Tab until `target` has focus, checking on every control it lands on that the focus is
 * visible (an outline that is drawn, or a box shadow) and that its text stays readable (4.5:1).
 */
async function tabTo(page: Page, target: Locator, maxPresses = 30): Promise<void> {
  for (let i = 0; i < maxPresses; i++) {
    await page.keyboard.press('Tab');
    const style = await focusStyle(page);
    if (!style) continue;
    assert.ok(focusIsVisible(style), `focus is not visible on ${style.element}: outline ${style.outlineStyle} ${style.outlineWidth}, box-shadow ${style.boxShadow}`);
    if (style.textContrast !== null) {
      assert.ok(style.textContrast >= 4.5, `the focused ${style.element} is hard to read: ${style.color} on ${style.background} is ${style.textContrast}:1`);
    }
    if (await target.evaluate((el) => el === document.activeElement)) return;
  }
  throw new Error(`${maxPresses} presses of Tab never reached ${target}`);
}

test('by keyboard alone (Tab, Enter, Space, typing), the focus visible and the focused text readable on every control: the same flow for Matti 100002', async () => {
  const page = await newPage();
  const { keyboard } = page;
  await page.goto(portal.base);

  await tabTo(page, page.getByRole('link', { name: 'Jäsenille', exact: true }));
  await keyboard.press('Enter');
  await sees(heading(page, 'Kirjaudu asiointipalveluun'));

  await tabTo(page, page.getByRole('link', { name: 'Tilaa uusi salasana tästä', exact: true }));
  await keyboard.press('Enter');
  await sees(heading(page, 'TILAA UUSI SALASANA'));
  await tabTo(page, page.getByLabel('Sähköpostiosoite', { exact: true }));
  await keyboard.type('maija.meikalainen@example.fi');
  await tabTo(page, page.getByRole('button', { name: 'Tilaa uusi salasana', exact: true }));
  await keyboard.press('Space');
  await sees(page.getByText('Ohjeet salasanan vaihtamiseksi on lähetetty antamaasi sähköpostiosoitteeseen.', { exact: true }));

  // The mail client is outside the browser: the link is opened as if pasted into the address bar.
  await page.goto(await linkFromMail('100002'));
  await sees(heading(page, 'PALAUTA SALASANA'));
  assert.equal(await page.getByLabel('Jäsennumero', { exact: true }).inputValue(), '100002');
  const password = page.getByLabel('Uusi salasana', { exact: true });
  await tabTo(page, password);
  await keyboard.type('Matin oma salasana 2026');
  await tabTo(page, page.getByLabel('Näytä salasana', { exact: true }));
  await keyboard.press('Space');
  assert.equal(await password.getAttribute('type'), 'text', '«Näytä salasana» works with Space');
  assert.equal(await password.inputValue(), 'Matin oma salasana 2026');
  await tabTo(page, page.getByRole('button', { name: 'Vaihda salasana', exact: true }));
  await keyboard.press('Enter');
  await sees(heading(page, 'Salasana on vaihdettu'));

  await tabTo(page, page.getByRole('link', { name: 'Kirjaudu sisään tästä', exact: true }));
  await keyboard.press('Enter');
  await sees(heading(page, 'Kirjaudu asiointipalveluun'));
  await tabTo(page, page.getByLabel('Jäsennumero', { exact: true }));
  await keyboard.type('100002');
  await tabTo(page, page.getByLabel('Salasana', { exact: true }));
  await keyboard.type('Matin oma salasana 2026');
  await tabTo(page, page.getByRole('button', { name: 'Kirjaudu sisään', exact: true }));
  await keyboard.press('Enter');
  await sees(heading(page, 'Omat tiedot'));
  await sees(page.locator('dl').getByText('Matti Meikäläinen', { exact: true }));
  await sees(page.locator('dl').getByText('100002', { exact: true }));

  await tabTo(page, page.getByRole('banner').getByRole('button', { name: 'Kirjaudu ulos', exact: true }));
  await keyboard.press('Enter');
  await sees(heading(page, 'Olet kirjautunut ulos'));
  await page.context().close();
});

test('an address not in the register: «Käyttäjää ei löydy», and the order form again with no error on it', async () => {
  const page = await newPage();
  await page.goto(portal.base);
  await page.getByRole('link', { name: 'Tilaa uusi salasana tästä', exact: true }).click();
  await page.getByLabel('Sähköpostiosoite', { exact: true }).fill('ei.ole@example.fi');
  await page.getByRole('button', { name: 'Tilaa uusi salasana', exact: true }).click();

  await sees(heading(page, 'Käyttäjää ei löydy'));
  await sees(page.getByText('Sähköpostiosoitetta ei.ole@example.fi ei ole tallennettu jäsenrekisteriin', { exact: false }));
  const email = page.getByLabel('Sähköpostiosoite', { exact: true });
  assert.equal(await email.inputValue(), 'ei.ole@example.fi', 'the address is there to correct');
  assert.equal(await email.getAttribute('aria-invalid'), null);
  assert.equal(await page.locator('[data-error-summary], .error-message').count(), 0, 'no error summary, no field error');
  assert.doesNotMatch(await page.title(), /^Virhe:/);
  await sees(page.getByRole('button', { name: 'Tilaa uusi salasana', exact: true }));
  assert.equal(await portal.deliverMail(), 0, 'no mail');
  await page.context().close();
});

test('a wrong password: the error summary gets focus, the title starts «Virhe:», the number stays and the password is emptied', async () => {
  const page = await newPage();
  await page.goto(`${portal.base}/kirjaudu`);
  await page.getByLabel('Jäsennumero', { exact: true }).fill('200001');
  await page.getByLabel('Salasana', { exact: true }).fill('Väärä salasana 123');
  await page.getByRole('button', { name: 'Kirjaudu sisään', exact: true }).click();

  const summary = page.locator('[data-error-summary]');
  await sees(summary);
  await page.waitForLoadState('load');
  assert.equal(await summary.evaluate((el) => el === document.activeElement), true, 'the summary has focus');
  await sees(summary.getByRole('heading', { name: 'Tarkista seuraavat kohdat', exact: true }));
  await sees(summary.getByRole('link', { name: /^Jäsennumero tai salasana on väärin\./ }));
  assert.equal(await summary.getByRole('link').getAttribute('href'), '#member-number');
  assert.match(await page.title(), /^Virhe: /);
  assert.equal(await page.getByLabel('Jäsennumero', { exact: true }).inputValue(), '200001');
  assert.equal(await page.getByLabel('Salasana', { exact: true }).inputValue(), '');
  await page.context().close();
});

test('without JavaScript, «Näytä salasana» (which needs the script) is not shown on PALAUTA SALASANA', async () => {
  const client = new WebClient(portal.base);
  await client.get('/tilaa-salasana');
  await client.post('/tilaa-salasana', { email: 'maija.meikalainen@example.fi' });
  const link = await linkFromMail('100001');

  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(link);
  await sees(heading(page, 'PALAUTA SALASANA'));
  await sees(page.getByLabel('Uusi salasana', { exact: true }));
  assert.equal(await page.getByLabel('Näytä salasana', { exact: true }).isVisible(), false);
  await context.close();
});
