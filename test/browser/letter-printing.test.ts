import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { before, test } from 'node:test';
import { promisify } from 'node:util';
import type { Browser } from 'playwright-core';
import { axeViolations, launchBrowser, signInAsStaff } from '../helpers/browser.js';
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
  await signInAsStaff(page, portal.base, ESIMERKKILA);
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

test('a large batch shows how many letters are ready as the PDF arrives, says when all are, and the file has a page each', async () => {
  const association = (await portal.db('associations').where({ name: 'Esimerkkilän Invalidit ry' }).first('id')).id;
  await portal.db.raw(
    `INSERT INTO members (member_number, first_name, last_name, association_id, street_address, postal_code, post_office)
     SELECT (870000 + n)::text, 'Kirje', 'Vastaanottaja ' || n, ?, 'Kirjetie ' || n, '33100', 'TAMPERE' FROM generate_series(1, 150) AS n`,
    [association],
  );
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'fi-FI', bypassCSP: true, acceptDownloads: true });
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();
  await signInAsStaff(page, portal.base, ESIMERKKILA);
  await page.goto(`${portal.base}/admin/resources/members/actions/printLettersWithoutEmail`);
  // The 150 and whoever else in Esimerkkilä is without email, password and a letter that still works (Teemu, unless he has one).
  const submit = page.getByRole('button', { name: /^Tulosta \d+ kirjettä \(PDF\)$/ });
  const expected = Number(/\d+/.exec(await submit.innerText())![0]);
  assert.ok(expected >= 150, String(expected));

  // Every value the progress bar shows, recorded in the page as it changes.
  await page.evaluate(() => {
    const seen: number[] = [];
    (window as unknown as { seen: number[] }).seen = seen;
    new MutationObserver(() => {
      const bar = document.querySelector('progress');
      if (bar && seen.at(-1) !== bar.value) seen.push(bar.value);
    }).observe(document.body, { subtree: true, childList: true, attributes: true });
  });
  const downloading = page.waitForEvent('download');
  await submit.focus();
  await page.keyboard.press('Enter');
  const download = await downloading;
  await page.getByText(`Kaikki ${expected} kirjettä ovat valmiita ja latautuvat yhtenä PDF-tiedostona. Tulosta ne ja postita jäsenille.`, { exact: true }).waitFor();
  const seen = await page.evaluate(() => (window as unknown as { seen: number[] }).seen);
  assert.ok(seen.length >= 3 && seen[0] === 0, `the bar started at 0 and moved on the way: ${seen.join(', ')}`);
  assert.ok(seen.every((value, i) => value <= expected && (i === 0 || value >= seen[i - 1]!)), seen.join(', '));

  assert.match(download.suggestedFilename(), /\.pdf$/);
  const info = (await run('pdfinfo', [(await download.path())!])).stdout;
  assert.match(info, new RegExp(`Pages:\\s+${expected}\\n`));
  const text = (await run('pdftotext', [(await download.path())!, '-'])).stdout;
  assert.ok(text.includes('Kirje Vastaanottaja 1\n') && text.includes('Kirje Vastaanottaja 150\n'), 'the first and the last');
  await page.getByRole('link', { name: /^Tallenna PDF-tiedosto uudelleen/ }).waitFor();
  assert.deepEqual(await axeViolations(page), [], 'the page once the letters are made');
  const codes = await portal.db('activation_codes as c').join('members as m', 'm.id', 'c.member_id').where('m.member_number', 'like', '870%').whereNull('c.revoked_at').count('* as n').first();
  assert.equal(Number(codes!.n), 150, 'a code for each of the 150, made once');
  await context.close();
});

test('printing after the session ended says no letters were made, and makes none', async () => {
  const association = (await portal.db('associations').where({ name: 'Esimerkkilän Invalidit ry' }).first('id')).id;
  // Someone still without a letter, whoever the tests above printed for.
  await portal.db('members').insert({ member_number: '879999', first_name: 'Myöhäinen', last_name: 'Kirje', association_id: association, street_address: 'Kirjetie 1', postal_code: '33100', post_office: 'TAMPERE' });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'fi-FI', bypassCSP: true, acceptDownloads: true });
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();
  await signInAsStaff(page, portal.base, ESIMERKKILA);
  await page.goto(`${portal.base}/admin/resources/members/actions/printLettersWithoutEmail`);
  const submit = page.getByRole('button', { name: /^Tulosta \d+ kirje/ });
  await submit.waitFor();
  const before = await portal.db('activation_codes').count('* as n').first();
  await context.clearCookies();
  await submit.focus();
  await page.keyboard.press('Enter');
  await page.getByRole('alert').getByText('Kirjeitä ei tehty: istuntosi on ehkä päättynyt. Päivitä sivu, kirjaudu tarvittaessa uudelleen ja tulosta sitten.', { exact: true }).waitFor();
  assert.equal(await page.getByRole('link', { name: /^Tallenna PDF-tiedosto uudelleen/ }).count(), 0, 'no file offered');
  assert.deepEqual(await portal.db('activation_codes').count('* as n').first(), before);
  await context.close();
});
