import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { fileNotFoundCase } from '../../src/cases/file-case.js';
import { axeViolations, launchBrowser, signInAsStaff, networkQuiet, watchTraffic } from './browser.js';
import { ESIMERKKILA, FEDERATION, MALLILA } from './demo-accounts.js';
import { startPortal, type Portal } from './portal.js';

/**
 * The back-office's axe runs (test/browser/admin-accessibility*.test.ts): every state staff meet, in
 * one language (axeRuns: a file each per language and role). A language gives the texts the runs find
 * things by, and how it is chosen. Finnish is the back-office's default.
 */
export interface Language {
  code: string;
  /** Makes the logged-in page show this language (nothing for the default). */
  choose(page: Page): Promise<void>;
  texts: {
    dashboard: string;
    filter: RegExp;
    applyFilters: string;
    sendLink: string;
    deleteAction: string;
    save: string;
    formHasErrors: RegExp;
    resolveSubmit: string;
    resetSecondFactor: string;
  };
}

export const FINNISH: Language = {
  code: 'fi',
  choose: async () => undefined,
  texts: {
    dashboard: 'Yhdistysten tilanne',
    filter: /^Suodata/,
    applyFilters: 'Käytä suodattimia',
    sendLink: 'Lähetä salasanalinkki',
    deleteAction: 'Poista',
    save: 'Tallenna',
    formHasErrors: /virhe/i,
    resolveSubmit: 'Lisää osoite, lähetä linkki ja sulje tapaus',
    resetSecondFactor: 'Nollaa kaksivaiheinen tunnistus',
  },
};

/** Chosen as a staff member does: the same page with ?lang=xx, kept in the kieli cookie. */
const chosenBy = (code: string, dashboard: string) => async (page: Page) => {
  await page.goto(`${new URL(page.url()).origin}/admin?lang=${code}`);
  await page.getByRole('heading', { name: dashboard, exact: true }).waitFor();
};

export const SWEDISH: Language = {
  code: 'sv',
  choose: chosenBy('sv', 'Föreningarnas läge'),
  texts: {
    dashboard: 'Föreningarnas läge',
    filter: /^Filtrera/,
    applyFilters: 'Använd filtren',
    sendLink: 'Skicka lösenordslänk',
    deleteAction: 'Ta bort',
    save: 'Spara',
    formHasErrors: /fel/i,
    resolveSubmit: 'Lägg till adressen, skicka länken och stäng ärendet',
    resetSecondFactor: 'Nollställ tvåstegsverifieringen',
  },
};

export const ENGLISH: Language = {
  code: 'en',
  choose: chosenBy('en', 'Associations at a glance'),
  texts: {
    dashboard: 'Associations at a glance',
    filter: /^Filter/,
    applyFilters: 'Apply changes',
    sendLink: 'Send a set-password link',
    deleteAction: 'Delete',
    save: 'Save',
    formHasErrors: /error/i,
    resolveSubmit: 'Add the address, send the link and close the case',
    resetSecondFactor: 'Reset two-step verification',
  },
};

const LISTS = ['members', 'associations', 'not_found_cases', 'mail_queue', 'audit_log', 'staff_users'];

export interface AxeData {
  maija: number;
  teemu: number;
  association: number;
  openCase: number;
  /** A staff account (Mallila's secretary), for «Lähetä kutsu uudelleen» and «Nollaa kaksivaiheinen tunnistus». */
  staffAccount: number;
}

/** An open case (for its resolve page) and the ids of the records whose pages are checked. */
export async function prepareAxeData(portal: Portal): Promise<AxeData> {
  await fileNotFoundCase(portal.db, { memberNumber: '100002', name: 'Matti Meikäläinen', emailToAdd: 'matti.oma@example.fi' });
  const member = (number: string) => portal.db('members').where({ member_number: number }).first();
  const [maija, teemu, openCase, staff] = await Promise.all([
    member('100001'),
    member('100003'),
    portal.db('not_found_cases').whereNull('resolved_at').first(),
    portal.db('staff_users').where({ email: MALLILA[0] }).first(),
  ]);
  return { maija: maija.id, teemu: teemu.id, association: maija.association_id, openCase: openCase.id, staffAccount: staff.id };
}

export async function staffPage(browser: Browser, portal: Portal, account: readonly [string, string], width: number, language: Language): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 900 }, locale: `${language.code}-FI`, bypassCSP: true });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  watchTraffic(page);
  await signInAsStaff(page, portal.base, account);
  await language.choose(page);
  return page;
}

/** Waits until the page has settled: no requests in flight for a moment, transitions ended, two animation frames. */
export async function settled(page: Page): Promise<void> {
  await networkQuiet(page);
  await page.evaluate(() => Promise.all(document.getAnimations().filter((a) => a.effect?.getComputedTiming().endTime !== Infinity).map((a) => a.finished.catch(() => undefined))));
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

/** A member's form saved with an address that is not one: the form shows its errors. */
async function formWithErrors(page: Page, texts: Language['texts']): Promise<void> {
  await page.locator('input[name="email"]').fill('ei osoite');
  await saveWithErrors(page, texts);
}

/** Saves the form on the page and waits for its errors: the alert and a field's message. */
async function saveWithErrors(page: Page, texts: Language['texts']): Promise<void> {
  await page.getByRole('button', { name: texts.save, exact: true }).click();
  await page.getByRole('alert').getByText(texts.formHasErrors).first().waitFor();
  await page.locator('[aria-invalid="true"]').first().waitFor().catch(async (error: Error) => {
    // What the page showed instead, so that a failure says which state the form was in.
    const shown = await page.evaluate(() => ({
      alerts: Array.from(document.querySelectorAll('[role="alert"]')).map((alert) => alert.textContent),
      fields: Array.from(document.querySelectorAll('section input[name]')).map((input) => `${(input as HTMLInputElement).name}=${(input as HTMLInputElement).value}`),
      url: location.href,
    }));
    throw new Error(`${error.message}\n${JSON.stringify(shown)}`);
  });
}

/**
 * Runs axe over the page in each state staff can reach (lists with their filters open, a select and the
 * date picker open, the dialogs, custom actions, a form with errors), collecting `state: violation` lines.
 * Without `overlays`, the states that open over a page (the select, the date picker, the dialogs) are
 * left out: at a second width they are the same components over a page of another layout, and the
 * pages under them are still checked.
 */
export async function violationsInEveryState(page: Page, portal: Portal, ids: AxeData, language: Language, federation: boolean, overlays = true): Promise<string[]> {
  const { texts } = language;
  const found: string[] = [];
  // What the page said went wrong, shown with a state's violations (a failure then says more than «no label»).
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(`page error: ${error.message}`));
  page.on('console', (message) => message.type() === 'error' && pageErrors.push(`console: ${message.text()}`));
  page.on('requestfailed', (request) => pageErrors.push(`request failed: ${request.url()} ${request.failure()?.errorText}`));
  const check = async (state: string) => {
    await settled(page);
    const violations = await axeViolations(page);
    found.push(...violations.map((violation) => `${state}: ${violation}`));
    if (violations.length > 0) found.push(`${state}: (the page's own errors so far: ${JSON.stringify(pageErrors)}; fields named by control-names.ts: ${await page.locator('[data-admin-a11y]').count()})`);
  };
  const visit = async (path: string) => {
    await page.goto(`${portal.base}${path}`);
    await page.locator('main h2').first().waitFor();
  };
  /** Opens a confirmation dialog with its button, checks it, and closes it with Esc. */
  const dialog = async (state: string, button: string) => {
    if (!overlays) return;
    await page.getByRole('button', { name: button, exact: true }).click();
    await page.getByRole('dialog').waitFor();
    await check(state);
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
  };

  await page.goto(`${portal.base}/admin`);
  await page.getByRole('heading', { name: texts.dashboard, exact: true }).waitFor();
  await check('/admin');
  for (const resource of LISTS.filter((list) => federation || list !== 'staff_users')) {
    await visit(`/admin/resources/${resource}`);
    await page.getByRole('button', { name: texts.filter }).click();
    await page.getByRole('button', { name: texts.applyFilters, exact: true }).waitFor();
    await check(`/admin/resources/${resource} (filters open)`);
    // A select open (its options and react-select's announcements), and the date picker's calendar.
    if (resource === 'members' && overlays) {
      await page.getByRole('combobox').first().click();
      await page.getByRole('option').first().waitFor();
      await check(`/admin/resources/${resource} (a select open)`);
      await page.keyboard.press('Escape');
    }
    if (resource === 'audit_log' && overlays) {
      await page.locator('.react-datepicker__input-container input').first().click();
      await page.locator('.react-datepicker__month').first().waitFor();
      await check(`/admin/resources/${resource} (the date picker open)`);
      await page.keyboard.press('Escape');
    }
  }

  const members = '/admin/resources/members';
  await visit(`${members}/records/${ids.maija}/show`);
  await check('member page');
  await dialog('«Lähetä salasanalinkki», a link can go', texts.sendLink);
  await visit(`${members}/records/${ids.teemu}/show`);
  await dialog('«Lähetä salasanalinkki», no address', texts.sendLink);
  // A new member with a member number of letters and no names: every field's error (issue #9).
  await visit(`${members}/actions/new`);
  await page.locator('input[name="member_number"]').fill('abc');
  await saveWithErrors(page, texts);
  await check('new-member form with errors');
  // «Tulosta aktivointikirje» for Teemu (no email: a letter can be printed).
  await visit(`${members}/records/${ids.teemu}/printLetter`);
  await check('«Tulosta aktivointikirje»');
  // Association staff's pages differ from the federation's only in which records they hold: the
  // pages below are checked once, as federation staff (each run must finish within the runner's time).
  if (!federation) {
    await visit(`${members}/records/${ids.maija}/edit`);
    await formWithErrors(page, texts);
    await check('member form with errors');
    return found;
  }
  for (const path of [
    `${members}/records/${ids.maija}/mailStatus`,
    `${members}/actions/sendToAllWaiting`,
    `${members}/bulk/bulkSendLink?recordIds=${ids.maija},${ids.teemu}`,
    `${members}/bulk/bulkPrintLetters?recordIds=${ids.maija},${ids.teemu}`,
    `${members}/actions/printLettersWithoutEmail`,
    `/admin/resources/staff_users/records/${ids.staffAccount}/resendInvitation`,
  ]) {
    await visit(path);
    await check(path);
  }
  // The case resolution form sent without a member chosen: its error notice.
  await visit(`/admin/resources/not_found_cases/records/${ids.openCase}/resolve`);
  await check('resolving a case');
  await page.getByRole('button', { name: texts.resolveSubmit, exact: true }).click();
  await page.getByRole('alert').waitFor();
  await check('resolving a case, no member chosen');
  await visit(`/admin/resources/staff_users/records/${ids.staffAccount}/show`);
  await dialog('«Nollaa kaksivaiheinen tunnistus»', texts.resetSecondFactor);
  await visit(`/admin/resources/associations/records/${ids.association}/show`);
  await dialog('deleting an association', texts.deleteAction);
  // The association and staff-account forms saved empty: their required fields' errors.
  await visit('/admin/resources/associations/actions/new');
  await saveWithErrors(page, texts);
  await check('new-association form with errors');
  await visit('/admin/resources/staff_users/actions/new');
  await saveWithErrors(page, texts);
  await check('new staff-account form with errors');
  await visit(`${members}/records/${ids.maija}/edit`);
  await formWithErrors(page, texts);
  await check('member form with errors');
  return found;
}

/**
 * The axe runs of one language, as federation staff or as association staff (or both), at one or
 * more widths, on a portal of their own. A file's runs must end within the runner's time for one
 * file (180 s; a federation run takes ≈ 100 s on a busy 2-core machine), so each file takes one role.
 * `overlays: false` leaves out the states that open over a page (violationsInEveryState), for a width
 * whose every state has been checked at another in the same language.
 * What the runs return is shared with the file for the checks it adds.
 */
export function axeRuns(
  language: Language,
  widths: number | number[],
  roles: Array<'federation' | 'association'> = ['federation', 'association'],
  options: { overlays?: boolean } = {},
): { portal: () => Portal; browser: () => Browser } {
  const overlays = options.overlays ?? true;
  let portal: Portal;
  let browser: Browser;
  let ids: AxeData;
  before(async () => {
    portal = await startPortal();
    browser = await launchBrowser();
    ids = await prepareAxeData(portal);
  });
  for (const width of [widths].flat()) {
    if (roles.includes('federation')) {
      test(`[${language.code}, ${width} px] federation staff: no axe violation in any back-office ${overlays ? 'state' : 'page'}`, async () => {
        const page = await staffPage(browser, portal, FEDERATION, width, language);
        const found = await violationsInEveryState(page, portal, ids, language, true, overlays);
        assert.deepEqual(found, [], found.join('\n'));
        await page.context().close();
      });
    }
    if (roles.includes('association')) {
      test(`[${language.code}, ${width} px] association staff: no axe violation in any state they can reach`, async () => {
        const page = await staffPage(browser, portal, ESIMERKKILA, width, language);
        const found = await violationsInEveryState(page, portal, ids, language, false, overlays);
        assert.deepEqual(found, [], found.join('\n'));
        await page.context().close();
      });
    }
  }
  return { portal: () => portal, browser: () => browser };
}
