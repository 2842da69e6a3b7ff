import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createActivationCode } from '../../src/passwords/activation-codes.js';
import { axeViolations, launchBrowser, signInAsStaff } from '../helpers/browser.js';
import { ESIMERKKILA } from '../helpers/demo-accounts.js';
import { startPortal, type Portal } from '../helpers/portal.js';

/**
 * Where a member stands with the printed letter, in Chromium (issue #14): Teemu's page says his
 * newest letter's state, Maija's that none was printed, «Sähköpostien tila» lists Teemu's letters in
 * a table of their own, and the dashboard counts him; in Finnish, Swedish and English, each page
 * with no axe violations.
 */
let portal: Portal;
let browser: Browser;
let teemu: number;
let maija: number;
/** Teemu's two letters, as the database has them: the older one superseded by the newer. */
let printed: Date[];
let validUntil: Date;

before(async () => {
  portal = await startPortal();
  browser = await launchBrowser();
  const member = (number: string) => portal.db('members').where({ member_number: number }).first('id');
  [teemu, maija] = [(await member('100003')).id, (await member('100001')).id];
  const staffId = (await portal.db('staff_users').where({ email: ESIMERKKILA[0] }).first('id')).id;
  await createActivationCode(portal.db, { memberId: teemu, memberNumber: '100003', staffId, days: 30 });
  await portal.db('activation_codes').where({ member_id: teemu }).update({ created_at: portal.db.raw(`created_at - interval '3 days'`) });
  await createActivationCode(portal.db, { memberId: teemu, memberNumber: '100003', staffId, days: 30 });
  const rows = await portal.db('activation_codes').where({ member_id: teemu }).orderBy('id', 'desc');
  printed = rows.map((row) => row.created_at);
  validUntil = new Date(rows[0].expires_at.getTime() - 1);
});

const LANGUAGES = {
  fi: { locale: 'fi-FI', month: 'numeric', dashboard: 'Yhdistysten tilanne', label: 'Aktivointikirje', heading: 'Aktivointikirjeet', printed: 'Aktivointikirje tulostettu', valid: (d: string) => `Koodi voimassa ${d} asti`, superseded: 'Korvattu uudemmalla kirjeellä', none: 'Aktivointikirjettä ei ole tulostettu.', counts: ['Kirje tulostettu', 'Aktivoitu kirjeellä'] },
  sv: { locale: 'sv-FI', month: 'numeric', dashboard: 'Föreningarnas läge', label: 'Aktiveringsbrev', heading: 'Aktiveringsbrev', printed: 'Aktiveringsbrev utskrivet', valid: (d: string) => `Koden gäller till ${d}`, superseded: 'Ersatt av ett nyare brev', none: 'Inget aktiveringsbrev har skrivits ut.', counts: ['Brev utskrivet', 'Aktiverat med brev'] },
  en: { locale: 'en-GB', month: 'long', dashboard: 'Associations at a glance', label: 'Activation letter', heading: 'Activation letters', printed: 'Activation letter printed', valid: (d: string) => `Code valid until ${d}`, superseded: 'Replaced by a newer letter', none: 'No activation letter has been printed.', counts: ['Letter printed', 'Activated by letter'] },
} as const;
type Code = keyof typeof LANGUAGES;

/** The date in Finland, as the back-office writes it: 3.12.2026 in Finnish and Swedish, 3 December 2026 in English. */
const dateIn = (code: Code, date: Date) =>
  new Intl.DateTimeFormat(LANGUAGES[code].locale, { timeZone: 'Europe/Helsinki', day: 'numeric', month: LANGUAGES[code].month, year: 'numeric' }).format(date);

async function staffPage(code: Code): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: LANGUAGES[code].locale, bypassCSP: true });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  await signInAsStaff(page, portal.base, ESIMERKKILA);
  // Chosen as staff choose it: ?lang=xx, kept in a cookie.
  await page.goto(`${portal.base}/admin?lang=${code}`);
  await page.getByRole('heading', { name: LANGUAGES[code].dashboard, exact: true }).waitFor();
  return page;
}

for (const code of Object.keys(LANGUAGES) as Code[]) {
  test(`(${code}) the member page and «Sähköpostien tila» say where Teemu stands with his letters, Maija's page that none was printed, the dashboard counts him; no axe violations`, async () => {
    const texts = LANGUAGES[code];
    const page = await staffPage(code);
    const [newest, older] = printed.map((date) => `${texts.printed} ${dateIn(code, date)}`) as [string, string];
    const valid = texts.valid(dateIn(code, validUntil));

    const counts = texts.counts.map((label) => page.getByRole('link', { name: `Esimerkkilän Invalidit ry, ${label}: ${label === texts.counts[0] ? 1 : 0}`, exact: true }));
    for (const count of counts) await count.waitFor();
    for (const label of texts.counts) await page.getByRole('columnheader', { name: label, exact: true }).waitFor();
    assert.deepEqual(await axeViolations(page), [], 'the dashboard');

    await page.goto(`${portal.base}/admin/resources/members/records/${teemu}/show`);
    await page.getByText(texts.label, { exact: true }).waitFor();
    await page.getByText(newest, { exact: true }).waitFor();
    await page.getByText(valid, { exact: true }).waitFor();
    assert.equal(await page.getByText(older, { exact: true }).count(), 0, 'the member page tells the newest letter only');
    assert.deepEqual(await axeViolations(page), [], "Teemu's page");

    await page.goto(`${portal.base}/admin/resources/members/records/${maija}/show`);
    await page.getByText(texts.none, { exact: true }).waitFor();
    assert.deepEqual(await axeViolations(page), [], "Maija's page");

    await page.goto(`${portal.base}/admin/resources/members/records/${teemu}/mailStatus`);
    const table = page.getByRole('table', { name: texts.heading, exact: true });
    await page.getByRole('heading', { level: 4, name: texts.heading, exact: true }).waitFor();
    const rows = await table.getByRole('row').allInnerTexts();
    assert.deepEqual(
      rows.slice(1).map((row) => row.split(/\t|\n/).map((cell) => cell.trim()).filter(Boolean)),
      [[newest, valid], [older, texts.superseded]],
      'newest first, each letter with what became of its code',
    );
    assert.deepEqual(await axeViolations(page), [], 'the mail status page');

    // The count of letters printed leads to the member list narrowed to Teemu.
    await page.goto(`${portal.base}/admin`);
    await counts[0]!.click();
    await page.getByRole('link', { name: '100003', exact: true }).waitFor();
    assert.match(page.url(), /filters\.letter=printed/);
    assert.deepEqual(await page.getByRole('link', { name: /^\d{6}$/ }).allInnerTexts(), ['100003'], 'only members with a letter');
    assert.deepEqual(await axeViolations(page), [], 'the member list filtered by letter');
    await page.context().close();
  });
}
