import assert from 'node:assert/strict';
import { before, beforeEach, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createActivationCode, formatCode } from '../../src/passwords/activation-codes.js';
import { axeViolations, launchBrowser } from '../helpers/browser.js';
import { startPortal, type Portal } from '../helpers/portal.js';

/**
 * «Ota asiointipalvelu käyttöön» (/aktivoi) in a real browser: a member types the letter's code
 * the way it comes (small letters, spaces), sets a password and logs in; and the page and each of
 * its error states have no WCAG 2.2 A/AA violation (axe-core) and no sideways scroll at 320 px,
 * in Finnish, Swedish and English.
 */
let portal: Portal;
let browser: Browser;
before(async () => {
  portal = await startPortal();
  browser = await launchBrowser();
});
beforeEach(async () => {
  await portal.db('rate_limits').delete();
});

const WIDE = { width: 1280, height: 800 };
const NARROW = { width: 320, height: 256 };

async function newCode(memberNumber: string) {
  const member = await portal.db('members').where({ member_number: memberNumber }).first('id');
  return (await createActivationCode(portal.db, { memberId: member.id, memberNumber, staffId: null, days: 30 })).code;
}

async function submit(page: Page, memberNumber: string | undefined, code: string): Promise<void> {
  if (memberNumber !== undefined) await page.locator('#member-number').fill(memberNumber);
  await page.locator('#code').fill(code);
  await clickSubmit(page);
}

/** Sends the page's form and waits for the page it leads to. */
async function clickSubmit(page: Page) {
  const loaded = page.waitForEvent('load');
  await page.locator('main form button[type="submit"]').click();
  await loaded;
}

test('a member types the code in small letters with spaces, sets a password and logs in', async () => {
  const code = await newCode('200002');
  const page = await (await browser.newContext({ viewport: WIDE })).newPage();
  await page.goto(`${portal.base}/aktivoi?jasennumero=200002`);
  assert.equal(await page.locator('#member-number').inputValue(), '200002', 'the QR link filled in the number');
  await submit(page, undefined, formatCode(code).toLowerCase().replace(/-/g, ' '));
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'PALAUTA SALASANA');
  await page.locator('#password').fill('Pekan kirjeen salasana');
  await clickSubmit(page);
  await page.goto(`${portal.base}/kirjaudu`);
  await page.locator('#member-number').fill('200002');
  await page.locator('#password').fill('Pekan kirjeen salasana');
  await clickSubmit(page);
  assert.equal(new URL(page.url()).pathname, '/omat-tiedot');
  assert.match((await page.locator('main').textContent()) ?? '', /Pekka Puuttuva/);
});

const STATES: { name: string; reach: (page: Page) => Promise<void> }[] = [
  { name: 'the form opened from the QR code', reach: (page) => page.goto(`${portal.base}/aktivoi?jasennumero=100003`).then(() => undefined) },
  { name: 'nothing typed', reach: (page) => page.goto(`${portal.base}/aktivoi`).then(() => submit(page, '', '')) },
  { name: 'a wrong code', reach: (page) => page.goto(`${portal.base}/aktivoi`).then(() => submit(page, '100003', 'ABCD-EFGH-JKMN')) },
  {
    name: 'a code superseded by a newer letter',
    reach: async (page) => {
      const old = await newCode('100003');
      await newCode('100003');
      await page.goto(`${portal.base}/aktivoi`);
      await submit(page, '100003', old);
    },
  },
  {
    name: 'too many wrong attempts',
    reach: async (page) => {
      await page.goto(`${portal.base}/aktivoi`);
      for (let i = 0; i < 5; i++) await submit(page, '100003', `ABCD-EFGH-JKM${i + 2}`);
    },
  },
];

for (const language of ['fi', 'sv', 'en'] as const) {
  describe(`/aktivoi in ${language}`, () => {
    let page: Page;
    before(async () => {
      page = await (await browser.newContext({ viewport: WIDE, bypassCSP: true })).newPage();
      await page.goto(`${portal.base}/aktivoi?lang=${language}`);
    });

    for (const state of STATES) {
      test(`${state.name} (${language})`, async () => {
        await state.reach(page);
        assert.equal(await page.getAttribute('html', 'lang'), language);
        assert.equal(new URL(page.url()).pathname, '/aktivoi');
        if (state.name !== 'the form opened from the QR code') assert.equal(await page.locator('[data-error-summary]').count(), 1, 'the error summary is shown');
        assert.deepEqual(await axeViolations(page), []);
        await page.setViewportSize(NARROW);
        try {
          const { scrollWidth, clientWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth }));
          assert.ok(scrollWidth <= clientWidth, `the page is ${scrollWidth} px wide in a ${clientWidth} px window`);
        } finally {
          await page.setViewportSize(WIDE);
        }
      });
    }
  });
}
