import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { fileNotFoundCase } from '../../src/cases/file-case.js';
import { PERMANENT_FAILURE_PREFIX } from '../../src/mail/mail-problem.js';
import { projectRoot } from '../../src/project-root.js';
import { writeAudit } from '../../src/audit/audit-log.js';
import { catalogTexts, englishPatterns, fallbackNames } from '../helpers/adminjs-english.js';
import { launchBrowser, signInAsStaff, networkQuiet, watchTraffic } from '../helpers/browser.js';
import { FEDERATION } from '../helpers/demo-accounts.js';
import { startPortal, type Portal } from '../helpers/portal.js';

/**
 * The back-office wholly in the chosen language. In Finnish and in Swedish, no page and no state
 * staff meet shows AdminJS's English, nor that of the react-select and react-datepicker inside it:
 * not in the visible text, not in an accessible name (what a screen reader reads, including the
 * live announcements of an open select). The list of English is AdminJS's own catalog, the two
 * libraries' built-in words, and what shows when a translation is missing: a column's or a detail's
 * name («Resolved By», «details») or a stored code («true», «federation») as it is
 * (test/helpers/adminjs-english.ts). And the choice made in the language menu holds across a reload,
 * a logout and a login.
 */
let portal: Portal;
let browser: Browser;
let maija: number;
let failedMail: number;
const SERVER_WORDS = '550 5.1.1 <maija.meikalainen@example.fi>: Recipient address rejected: User unknown';
before(async () => {
  portal = await startPortal();
  browser = await launchBrowser();
  maija = (await portal.db('members').where({ member_number: '100001' }).first()).id;
  await fileNotFoundCase(portal.db, { memberNumber: '100001', name: 'Maija Meikäläinen', emailToAdd: 'maija.toinen@example.fi' });
  // A mail the receiving server refused for good, as the worker stores it (src/mail/transport.ts).
  const [mail] = await portal.db('mail_queue')
    .insert({ template: 'set-password-link', to_address: 'maija.meikalainen@example.fi', language: 'fi', status: 'failed', attempts: 1, last_error: `${PERMANENT_FAILURE_PREFIX}${SERVER_WORDS}` })
    .returning('id');
  failedMail = Number(mail.id);
  await portal.db('mail_queue_members').insert({ mail_id: failedMail, member_id: maija });
  // Audit rows whose details hold codes and yes/no values, as the services write them.
  const staff = await portal.db('staff_users').where({ email: 'sihteeri@mallila.example' }).first();
  await writeAudit(portal.db, { actorType: 'staff', actorId: staff.id, action: 'staff.updated', details: { staffUserId: staff.id, role: { old: 'association', new: 'federation' }, active: { old: true, new: false }, sessionsEnded: 1 } });
  await writeAudit(portal.db, { actorType: 'staff', actorId: staff.id, action: 'set-password-link.batch-started', details: { batchId: 1, selection: 'awaiting-first-link', members: 2, noEmail: 1, ended: 0 } });
  await writeAudit(portal.db, { actorType: 'public', action: 'login.locked', details: { cause: 'client', minutes: 15, trustedDevice: true } });
  untranslated = fallbackNames([...(await resourceNames()), 'true', 'false', 'federation', 'association', 'awaiting-first-link', 'client']);
});

const RESOURCES = ['members', 'associations', 'not_found_cases', 'mail_queue', 'audit_log', 'staff_users'];
/** What AdminJS and our components name things by: the resources' columns and the audit log's detail fields. */
async function resourceNames(): Promise<string[]> {
  const columns = await portal.db('information_schema.columns').where({ table_schema: 'public' }).whereIn('table_name', RESOURCES).pluck('column_name');
  const details = await portal.db.raw(`SELECT DISTINCT jsonb_object_keys(details) AS key FROM audit_log WHERE jsonb_typeof(details) = 'object'`);
  return [...columns, ...details.rows.map((row: { key: string }) => row.key)];
}
/** Names and codes that would show as they are if a translation were missing (fallbackNames). */
let untranslated: string[] = [];

type Language = 'fi' | 'sv';
type Tree = { [key: string]: string | Tree };
const catalogs = Object.fromEntries(['fi', 'sv', 'en'].map((language) => [language, JSON.parse(readFileSync(path.join(projectRoot, 'admin', 'locale', `${language}.json`), 'utf8')) as Tree]));
/** A text of admin/locale by its path (`messages.dashboard_title`). */
const text = (language: string, key: string): string => key.split('.').reduce<Tree | string>((node, part) => (node as Tree)[part]!, catalogs[language]!) as string;

async function staffPage(language?: Language): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  context.setDefaultTimeout(10_000);
  if (language) await context.addCookies([{ name: 'kieli', value: language, url: portal.base }]);
  const page = await context.newPage();
  watchTraffic(page);
  await logIn(page);
  return page;
}

async function logIn(page: Page): Promise<void> {
  await signInAsStaff(page, portal.base, FEDERATION);
}

/** No requests in flight, then two frames: React has drawn what the last answer brought. */
async function settled(page: Page): Promise<void> {
  await networkQuiet(page);
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

/**
 * What a person sees and what a screen reader reads: the page's visible text, its accessibility
 * tree (names, descriptions, live regions) and the attributes that become names or hints.
 */
async function readable(page: Page): Promise<string[]> {
  const visible = await page.evaluate(() => document.body.innerText);
  // The tree as read: names and texts, without the roles' own words («- status», «- button») and the links' addresses.
  const tree = (await page.locator('body').ariaSnapshot())
    .split('\n')
    .filter((line) => !/^\s*- \/url:/.test(line))
    .map((line) => line.replace(/^\s*- '?[a-z]+/, ''))
    .join('\n');
  const attributes = await page.evaluate(() =>
    Array.from(document.querySelectorAll('[aria-label], [aria-description], [title], [placeholder], [alt]')).flatMap((element) =>
      ['aria-label', 'aria-description', 'title', 'placeholder', 'alt'].map((name) => element.getAttribute(name) ?? '').filter(Boolean),
    ),
  );
  // The receiving mail server's reply is shown as it came, under its own heading: data, not the interface.
  const data = (line: string) => line.includes(SERVER_WORDS);
  return [...visible.split('\n'), ...tree.split('\n'), ...attributes].map((line) => line.trim()).filter((line) => line && !data(line));
}

function scanner(language: Language) {
  const patterns = englishPatterns(catalogTexts(language), untranslated);
  const found: string[] = [];
  const scan = async (page: Page, state: string) => {
    await settled(page);
    const lines = await readable(page);
    for (const { english, pattern } of patterns) {
      const line = lines.find((candidate) => pattern.test(candidate));
      if (line) found.push(`${language} ${state}: «${english}» in «${line.slice(0, 160)}»`);
    }
  };
  return { scan, found };
}

/** AdminJS's «Suodata» (an anchor or, overridden, a button) opens the filter drawer. */
async function openFilters(page: Page, language: Language): Promise<void> {
  await page.getByText(text(language, 'buttons.filter'), { exact: true }).first().click();
  await page.getByRole('button', { name: text(language, 'buttons.applyChanges'), exact: true }).waitFor();
}

async function everyState(page: Page, language: Language, scan: (page: Page, state: string) => Promise<void>): Promise<void> {
  const t = (key: string) => text(language, key);
  const property = (resource: string, name: string) => t(`resources.${resource}.properties.${name}`);

  await page.getByRole('heading', { name: t('messages.dashboard_title'), exact: true }).waitFor();
  await scan(page, 'dashboard');

  await page.goto(`${portal.base}/admin/resources/members`);
  await scan(page, 'member list');
  await openFilters(page, language);
  await scan(page, 'member list, filters open');
  // A select open, an option focused and then chosen: react-select's announcements are in the tree.
  const status = page.getByRole('combobox', { name: property('members', 'membership_status'), exact: true });
  await status.click();
  await page.getByRole('listbox').waitFor();
  await page.keyboard.press('ArrowDown');
  await scan(page, 'select open');
  assert.match((await readable(page)).join('\n'), new RegExp(t('messages.select_results_other').replace('{{count}}', '2')), 'the open select says how many options it has');
  await page.keyboard.press('Enter');
  await scan(page, 'option chosen');
  // A reference select searching as it is typed into.
  const association = page.getByRole('combobox', { name: property('members', 'association_id'), exact: true });
  await association.click();
  await association.fill('Esim');
  await page.getByRole('option', { name: 'Esimerkkilän Invalidit ry' }).waitFor();
  await scan(page, 'reference select searched');

  await page.goto(`${portal.base}/admin/resources/members/records/${maija}/show`);
  await scan(page, 'member');
  await page.goto(`${portal.base}/admin/resources/members/records/${maija}/edit`);
  await page.locator('input[name="email"]').fill('ei-osoite');
  await page.getByRole('button', { name: t('buttons.save'), exact: true }).click();
  await page.getByText(t('messages.formError_emailShape'), { exact: true }).waitFor();
  await scan(page, 'member form with an error');
  // A database refusal on a reference field, which AdminJS shows as the server wrote it.
  await page.goto(`${portal.base}/admin/resources/members/actions/new`);
  await page.locator('input[name="member_number"]').fill('100009');
  await page.locator('input[name="first_name"]').fill('Testi');
  await page.locator('input[name="last_name"]').fill('Henkilö');
  await page.getByRole('button', { name: t('buttons.save'), exact: true }).click();
  await page.getByText(t('messages.formError_required'), { exact: true }).waitFor();
  await scan(page, 'new member form with an error');

  await page.goto(`${portal.base}/admin/resources/members/records/${maija}/mailStatus`);
  await page.getByText(t('messages.mailProblem_address-rejected'), { exact: true }).waitFor();
  await page.getByText(t('messages.mailStatus_rawReason'), { exact: true }).click();
  await scan(page, 'mail status');
  await page.goto(`${portal.base}/admin/resources/mail_queue`);
  await page.getByText(t('messages.mailProblemShort_address-rejected'), { exact: true }).waitFor();
  await scan(page, 'mail list');
  await page.goto(`${portal.base}/admin/resources/mail_queue/records/${failedMail}/show`);
  await scan(page, 'failed mail');

  const openCase = await portal.db('not_found_cases').whereNull('resolved_at').first();
  await page.goto(`${portal.base}/admin/resources/not_found_cases`);
  await scan(page, 'case list');
  await page.goto(`${portal.base}/admin/resources/not_found_cases/records/${openCase.id}/show`);
  await scan(page, 'case');
  await page.goto(`${portal.base}/admin/resources/not_found_cases/records/${openCase.id}/resolve`);
  await page.getByRole('heading', { name: t('messages.resolve_title'), exact: true }).waitFor();
  await scan(page, 'resolving a case');

  await page.goto(`${portal.base}/admin/resources/audit_log`);
  await scan(page, 'audit log');
  const change = await portal.db('audit_log').where({ action: 'staff.updated' }).first();
  await page.goto(`${portal.base}/admin/resources/audit_log/records/${change.id}/show`);
  await page.getByText(`${t('resources.staff_users.properties.role')}: ${t('resources.staff_users.labels.role.association')} → ${t('resources.staff_users.labels.role.federation')}`).waitFor();
  await scan(page, 'audit row');
  await page.goto(`${portal.base}/admin/resources/audit_log`);
  await openFilters(page, language);
  // The date picker open: month, weekdays (from Monday) and every day's name in the language.
  await page.getByRole('textbox', { name: `${property('audit_log', 'at')} - ${t('properties.from')}:`, exact: true }).click();
  await page.locator('.react-datepicker').waitFor();
  const weekdays = await page.locator('.react-datepicker__day-name').allInnerTexts();
  assert.deepEqual(weekdays, language === 'fi' ? ['ma', 'ti', 'ke', 'to', 'pe', 'la', 'su'] : ['må', 'ti', 'on', 'to', 'fr', 'lö', 'sö'], 'weeks start on Monday');
  await scan(page, 'date picker open');
  await page.getByRole('button', { name: t('messages.datePicker_previousMonth'), exact: true }).click();
  await scan(page, 'date picker, previous month');
  await page.locator('.react-datepicker__day:not(.react-datepicker__day--outside-month)').first().click();
  await scan(page, 'date chosen');
  const chosen = t('messages.datePicker_chosen').replace('{{date}}', '');
  assert.ok((await readable(page)).some((line) => line.includes(chosen)), `the chosen date is announced («${chosen}…»)`);

  const staff = await portal.db('staff_users').where({ email: FEDERATION[0] }).first();
  await page.goto(`${portal.base}/admin/resources/staff_users/records/${staff.id}/show`);
  await page.getByText(t('resources.staff_users.labels.active.true'), { exact: true }).waitFor();
  await scan(page, 'staff member');
}

for (const language of ['fi', 'sv'] as const) {
  test(`No English of AdminJS, react-select or react-datepicker on the back-office in ${language === 'fi' ? 'Finnish' : 'Swedish'}, in text or in accessible names`, async () => {
    const { scan, found } = scanner(language);
    const visitor = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    await visitor.addCookies([{ name: 'kieli', value: language, url: portal.base }]);
    const login = await visitor.newPage();
    await login.goto(`${portal.base}/admin/login`);
    await scan(login, 'login page');
    await login.locator('input[name="email"]').fill(FEDERATION[0]);
    await login.locator('input[name="password"]').fill('väärä salasana');
    await login.locator('input[name="password"]').press('Enter');
    await login.getByText(text(language, 'messages.invalidCredentials'), { exact: true }).waitFor();
    await scan(login, 'login refused');
    await visitor.close();

    const page = await staffPage(language);
    await everyState(page, language, scan);
    assert.deepEqual(found, [], found.join('\n'));
    await page.context().close();
  });
}

test('The language chosen in the top bar holds across a reload, a logout and a login; each language is named in itself and chosen by keyboard', async () => {
  const page = await staffPage();
  const lang = () => page.evaluate(() => document.documentElement.lang);
  assert.equal(await lang(), 'fi', 'Finnish until chosen otherwise');
  const languages = page.getByRole('navigation', { name: 'Kieli', exact: true });
  assert.deepEqual((await languages.getByRole('link').allInnerTexts()).map((item) => item.trim()), ['Suomi', 'Svenska', 'English']);
  assert.equal(await languages.getByRole('link', { name: 'Suomi' }).getAttribute('aria-current'), 'true');
  assert.equal(await page.getByRole('button', { name: 'Suomi', exact: true }).count(), 0, 'AdminJS\'s hover menu is gone');
  await languages.getByRole('link', { name: 'Svenska' }).focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.documentElement.lang === 'sv');
  await page.getByRole('heading', { name: text('sv', 'messages.dashboard_title'), exact: true }).waitFor();
  assert.equal((await page.context().cookies()).find((cookie) => cookie.name === 'kieli')?.value, 'sv');

  await page.reload();
  await page.getByRole('heading', { name: text('sv', 'messages.dashboard_title'), exact: true }).waitFor();
  assert.equal(await lang(), 'sv', 'after a reload');
  await page.getByRole('navigation', { name: 'Språk', exact: true }).waitFor();

  // «Logga ut» is a plain link to admin/auth.ts's page, whose button logs out by POST: both by keyboard.
  await page.getByRole('link', { name: text('sv', 'buttons.logout'), exact: true }).focus();
  await page.keyboard.press('Enter');
  await page.waitForURL(`${portal.base}/admin/logout`);
  await page.locator('form button[type="submit"]').focus();
  await page.keyboard.press('Enter');
  await page.waitForURL(`${portal.base}/admin/login`);
  assert.equal(await lang(), 'sv', 'the login page after logging out');
  await page.getByRole('heading', { name: text('sv', 'components.Login.welcomeHeader'), exact: true }).waitFor();
  await logIn(page);
  await page.getByRole('heading', { name: text('sv', 'messages.dashboard_title'), exact: true }).waitFor();
  assert.equal(await lang(), 'sv', 'after logging in again');
  await page.context().close();
});
