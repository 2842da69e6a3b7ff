import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { before, test } from 'node:test';
import { promisify } from 'node:util';
import type { Browser } from 'playwright-core';
import { axeViolations, launchBrowser } from '../helpers/browser.js';
import { ESIMERKKILA } from '../helpers/demo-accounts.js';
import { Keyboard } from '../helpers/keyboard.js';
import { startPortal, type Portal } from '../helpers/portal.js';

/**
 * «Tulosta aktivointikirje» in Chromium, by keyboard: from Teemu's page to the letter page, which
 * says to whom and where the letter goes and passes axe; its button downloads his PDF.
 */
const run = promisify(execFile);
let portal: Portal;
let browser: Browser;
before(async () => {
  portal = await startPortal();
  browser = await launchBrowser();
});

test("Esimerkkilä's staff open Teemu's letter page by keyboard, it has no axe violations, and its button downloads his letter", async () => {
  const teemu = (await portal.db('members').where({ member_number: '100003' }).first('id')).id;
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'fi-FI', bypassCSP: true, acceptDownloads: true });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  await page.goto(`${portal.base}/admin/login`);
  await page.locator('input[name="email"]').fill(ESIMERKKILA[0]);
  await page.locator('input[name="password"]').fill(ESIMERKKILA[1]);
  await page.locator('input[name="password"]').press('Enter');
  await page.waitForURL(`${portal.base}/admin`);
  await page.goto(`${portal.base}/admin/resources/members/records/${teemu}/show`);
  await page.getByRole('heading', { level: 2, name: 'Teemu Testaaja (100003)', exact: true }).waitFor();

  const keys = new Keyboard(page);
  await keys.tabTo(page.getByRole('link', { name: 'Tulosta aktivointikirje', exact: true }));
  await keys.press('Enter');
  await page.getByRole('heading', { name: 'Tulostetaanko aktivointikirje jäsenelle Teemu Testaaja (100003)?', exact: true }).waitFor();
  await page.getByText('Rantatie 12 B 4', { exact: true }).waitFor();
  await page.getByText('33200 TAMPERE', { exact: true }).waitFor();
  await page.getByText(/Koodi toimii 30 päivää, \d{1,2}\.\d{1,2}\.\d{4} asti\./).waitFor();
  assert.deepEqual(await axeViolations(page), []);
  assert.equal(await portal.db('activation_codes').where({ member_id: teemu }).first(), undefined, 'opening the page made nothing');

  const submit = page.getByRole('button', { name: 'Tulosta kirje (PDF)', exact: true });
  await keys.tabTo(submit);
  const downloading = page.waitForEvent('download');
  await keys.press('Enter');
  const download = await downloading;
  assert.equal(download.suggestedFilename(), 'aktivointikirje-100003.pdf');
  const text = (await run('pdftotext', [(await download.path())!, '-'])).stdout.replace(/\s+/g, ' ');
  assert.ok(text.includes('Teemu Testaaja') && text.includes('Rantatie 12 B 4'), text);
  await page.getByText('Kirje tehtiin ja latautuu PDF-tiedostona. Tulosta se ja postita jäsenelle.', { exact: true }).waitFor();
  assert.deepEqual(await axeViolations(page), [], 'the page after the download too');
  assert.equal((await portal.db('activation_codes').where({ member_id: teemu })).length, 1);
  assert.deepEqual(keys.problems(), [], keys.problems().join('\n'));
  await context.close();
});
