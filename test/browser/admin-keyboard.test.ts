import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { before, beforeEach, test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { TOPBAR_MENU_BOX } from '../../admin/adminjs-internals/names.js';
import { fileNotFoundCase } from '../../src/cases/file-case.js';
import { projectRoot } from '../../src/project-root.js';
import { launchBrowser, signInAsStaff } from '../helpers/browser.js';
import { ESIMERKKILA, FEDERATION } from '../helpers/demo-accounts.js';
import { Keyboard } from '../helpers/keyboard.js';
import { startClean, startPortal, type Portal } from '../helpers/portal.js';

/**
 * The back-office by keyboard alone, in Chromium, in Finnish: staff open «Jäsenet» from the navigation,
 * filter it by name, open a member, edit the address, send the link through the confirmation dialog,
 * open the «Käyttäjää ei löydy» cases and resolve one, and filter the audit log by date. Federation
 * staff at 1280 px (the sidebar is off screen until ☰ opens it), association staff at 1440 px (the
 * sidebar is always there). At every Tab stop the focused element shows it (its outline or box shadow
 * differs from when it is not focused) and is on screen. Only logging in is done by filling the form.
 */
let portal: Portal;
let browser: Browser;
before(async () => {
  portal = await startPortal();
  browser = await launchBrowser();
});
beforeEach(() => startClean(portal));

async function staffPage(account: readonly [string, string], width: number): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 800 }, locale: 'fi-FI' });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  await signInAsStaff(page, portal.base, account);
  await page.getByRole('heading', { name: 'Yhdistysten tilanne', exact: true }).waitFor();
  return page;
}

const sees = (locator: Locator) => locator.waitFor({ state: 'visible' });

/** Opens a list from the sidebar: ☰ first when the sidebar is off screen, its group when closed. */
async function openFromNavigation(keys: Keyboard, group: string, list: string): Promise<void> {
  const { page } = keys;
  const menu = page.getByRole('button', { name: 'Valikko', exact: true });
  if (await menu.isVisible()) {
    await keys.tabTo(menu);
    await keys.press('Enter');
    assert.equal(await menu.getAttribute('aria-expanded'), 'true');
  }
  const nav = page.getByRole('navigation', { name: 'Valikko', exact: true });
  const groupButton = nav.getByRole('button', { name: group, exact: true });
  const link = nav.getByRole('link', { name: list, exact: true });
  if (!(await link.isVisible())) {
    await keys.tabTo(groupButton);
    await keys.press('Enter');
    assert.equal(await groupButton.getAttribute('aria-expanded'), 'true', `${group} opens by keyboard`);
  }
  await keys.tabTo(link);
  await keys.press('Enter');
}

/**
 * Opens the filters with «Suodata», types into one field (and does `then`, see auditTasks), applies
 * them and closes the drawer with Esc.
 */
async function filterBy(keys: Keyboard, field: Locator, text: string, then?: () => Promise<void>): Promise<void> {
  const { page } = keys;
  const filterButton = page.getByRole('button', { name: /^Suodata/ });
  await keys.tabTo(filterButton);
  await keys.press('Enter');
  assert.equal(await filterButton.getAttribute('aria-expanded'), 'true');
  assert.ok(await keys.has(page.getByRole('heading', { name: 'Suodattimet', exact: true })), 'focus moves into the filters');
  await keys.tabTo(field);
  await keys.type(text);
  if (then) await then();
  await keys.tabTo(page.getByRole('button', { name: 'Käytä suodattimia', exact: true }));
  await keys.press('Enter');
  await page.waitForURL(/filters\./);
  await keys.press('Escape');
  await page.waitForFunction(() => getComputedStyle(document.getElementById('admin-filters')!).visibility === 'hidden');
  assert.ok(await keys.has(filterButton), 'focus returns to «Suodata» when the filters close');
}

async function membersTasks(keys: Keyboard, member: { number: string; lastName: string; name: string }, email: string): Promise<void> {
  const { page } = keys;
  await openFromNavigation(keys, 'Jäsenrekisteri', 'Jäsenet');
  await page.waitForURL(/\/admin\/resources\/members(\?|$)/);
  await filterBy(keys, page.getByLabel('Sukunimi', { exact: true }), member.lastName);
  const link = page.getByRole('link', { name: member.number, exact: true });
  await keys.tabTo(link);
  await keys.press('Enter');
  const heading = page.getByRole('heading', { level: 2, name: `${member.name} (${member.number})`, exact: true });
  await sees(heading);
  await page.waitForFunction((name) => document.title.startsWith(name), `${member.name} (${member.number}) – Jäsenet`);

  // No address yet: the dialog says so, and offers nothing to send. Esc closes it; focus returns.
  const send = page.getByRole('button', { name: 'Lähetä salasanalinkki', exact: true });
  await keys.tabTo(send);
  await keys.press('Enter');
  const refusal = page.getByRole('dialog', { name: `Jäsenelle ${member.name} (${member.number}) ei voi lähettää salasanalinkkiä`, exact: true });
  await sees(refusal);
  await sees(refusal.getByText('Jäsenellä ei ole sähköpostiosoitetta. Lisää osoite ensin kohdasta «Muokkaa».', { exact: true }));
  assert.equal(await refusal.getByRole('button', { name: 'Vahvista' }).count(), 0, 'no send button');
  await keys.press('Escape');
  await refusal.waitFor({ state: 'detached' });
  assert.ok(await keys.has(send), 'focus returns to «Lähetä salasanalinkki»');

  await keys.tabTo(page.getByRole('link', { name: 'Muokkaa', exact: true }));
  await keys.press('Enter');
  await sees(page.getByRole('heading', { level: 2, name: `Muokkaa: ${member.name} (${member.number})`, exact: true }));
  await keys.tabTo(page.getByLabel('Sähköposti', { exact: true }));
  await keys.type(email);
  await keys.tabTo(page.getByRole('button', { name: 'Tallenna', exact: true }));
  await keys.press('Enter');
  await sees(page.getByText(/^Muutokset tallennettu\./));
  await sees(heading);

  await keys.tabTo(send);
  await keys.press('Enter');
  const dialog = page.getByRole('dialog', { name: `Lähetetäänkö salasanalinkki jäsenelle ${member.name} (${member.number})?`, exact: true });
  await sees(dialog);
  assert.equal(await dialog.getAttribute('aria-modal'), 'true');
  await sees(dialog.getByText(`Linkki lähtee sähköpostiin ${email}.`, { exact: true }));
  assert.ok(await keys.has(dialog.getByRole('button', { name: 'Peruuta', exact: true })), 'focus moves into the dialog, to «Peruuta»');
  // Focus stays in the dialog: «Peruuta», «Vahvista», then round to the × «Sulje».
  await keys.tab();
  assert.ok(await keys.has(dialog.getByRole('button', { name: 'Vahvista', exact: true })));
  await keys.tab();
  assert.ok(await keys.has(dialog.getByRole('button', { name: 'Sulje', exact: true })), 'Tab from the last control goes to the first');
  await keys.tab(true);
  await keys.press('Enter');
  await sees(page.getByText(`Salasanalinkki on lähtemässä jäsenelle ${member.number}. Näet sen tilan kohdasta «Sähköpostien tila».`, { exact: true }));
  assert.ok(await keys.has(send), 'focus returns to «Lähetä salasanalinkki»');
}

async function caseTasks(keys: Keyboard, address: string, member: string): Promise<void> {
  const { page } = keys;
  await openFromNavigation(keys, 'Asiakaspalvelu', 'Käyttäjää ei löydy -tapaukset');
  await page.waitForURL(/\/admin\/resources\/not_found_cases(\?|$)/);
  await keys.tabTo(page.getByRole('link', { name: address, exact: true }));
  await keys.press('Enter');
  await sees(page.getByRole('heading', { level: 2, name: address, exact: true }));
  await keys.tabTo(page.getByRole('link', { name: /^Ratkaise/ }));
  await keys.press('Enter');
  await sees(page.getByRole('heading', { name: 'Ratkaise tapaus', exact: true }));
  const suggestion = page.getByRole('radio', { name: new RegExp(`^${member.replace(/[()]/g, '\\$&')}`) });
  await keys.tabTo(suggestion);
  await keys.press('Space');
  assert.equal(await suggestion.isChecked(), true);
  await keys.tabTo(page.getByRole('button', { name: 'Lisää osoite, lähetä linkki ja sulje tapaus', exact: true }));
  await keys.press('Enter');
  await sees(page.getByText('Tapaus on ratkaistu.', { exact: true }));
}

async function auditTasks(keys: Keyboard): Promise<void> {
  const { page } = keys;
  await openFromNavigation(keys, 'Ylläpito', 'Tapahtumaloki');
  await page.waitForURL(/\/admin\/resources\/audit_log(\?|$)/);
  const today = new Date();
  const digits = `${today.getFullYear()}${String(today.getMonth() + 1).padStart(2, '0')}${String(today.getDate()).padStart(2, '0')}0000`;
  // The date is typed; the calendar does not open on focus, so Tab goes on to the «to» field at once.
  await filterBy(keys, page.getByRole('textbox', { name: 'Aika - Alkaen:', exact: true }), digits, async () => {
    await keys.tab();
    assert.ok(await keys.has(page.getByRole('textbox', { name: 'Aika - Päättyen:', exact: true })));
  });
  assert.match(decodeURIComponent(page.url()), /filters\.at~~from=\d{4}-/, 'the list is filtered from the date');
  await sees(page.locator('table tbody tr').first());
}

async function staffTasks(account: readonly [string, string], width: number, data: { member: { number: string; lastName: string; name: string }; email: string; caseAddress: string; caseMember: string }) {
  const page = await staffPage(account, width);
  const keys = new Keyboard(page);
  await membersTasks(keys, data.member, data.email);
  await caseTasks(keys, data.caseAddress, data.caseMember);
  await auditTasks(keys);
  assert.ok(keys.stops.length > 30, `many Tab stops were checked (${keys.stops.length})`);
  assert.deepEqual(keys.problems(), [], keys.problems().join('\n'));
  await page.context().close();
}

test('Federation staff at 1280 px do the tasks by keyboard alone, every Tab stop visible and on screen', async () => {
  await fileNotFoundCase(portal.db, { memberNumber: '100001', name: 'Maija Meikäläinen', emailToAdd: 'maija.oma@example.fi' });
  await staffTasks(FEDERATION, 1280, {
    member: { number: '200002', lastName: 'Puuttuva', name: 'Pekka Puuttuva' },
    email: 'pekka.puuttuva@example.fi',
    caseAddress: 'maija.oma@example.fi',
    caseMember: 'Maija Meikäläinen (100001)',
  });
});

test('Association staff at 1440 px do the tasks by keyboard alone, every Tab stop visible and on screen', async () => {
  await fileNotFoundCase(portal.db, { memberNumber: '100002', name: 'Matti Meikäläinen', emailToAdd: 'matti.oma@example.fi' });
  await staffTasks(ESIMERKKILA, 1440, {
    member: { number: '100003', lastName: 'Testaaja', name: 'Teemu Testaaja' },
    email: 'teemu.testaaja@example.fi',
    caseAddress: 'matti.oma@example.fi',
    caseMember: 'Matti Meikäläinen (100002)',
  });
});

test("AdminJS's browser bundle still offers what our overrides take from it (admin/adminjs-internals)", async () => {
  // In the browser 'adminjs' is the global window.AdminJS: a missing name would be undefined, not a build error.
  const source = readFileSync(path.join(projectRoot, 'admin', 'adminjs-internals', 'frontend.ts'), 'utf8');
  const block = source.slice(source.indexOf('export {'), source.indexOf("} from 'adminjs';"));
  const names = [...block.replace(/\/\/.*$/gm, '').matchAll(/\b(\w+),/g)].map((m) => m[1]!);
  assert.ok(names.length > 10, `names read: ${names.join(', ')}`);
  const page = await staffPage(ESIMERKKILA, 1280);
  const missing = await page.evaluate((wanted) => {
    const globals = window as unknown as { AdminJS: Record<string, unknown>; styled: Record<string, unknown> };
    return [...wanted.filter((name) => globals.AdminJS[name] === undefined), ...(typeof globals.styled.useTheme === 'function' ? [] : ['styled.useTheme'])];
  }, names);
  assert.deepEqual(missing, []);
  // AdminJS's own ☰ is the top bar's first child, hidden, and ours is the one button in its place.
  assert.equal(await page.locator(`${TOPBAR_MENU_BOX} svg`).count(), 1, "AdminJS's ☰ box holds its icon");
  assert.equal(await page.locator(TOPBAR_MENU_BOX).evaluate((box) => getComputedStyle(box).visibility), 'hidden');
  await sees(page.getByRole('button', { name: 'Valikko', exact: true }));
  await page.context().close();
});

test('The skip link is the first Tab stop, shown on focus, and takes focus to the main content; rows are chosen with Space and the bulk send reached by keyboard', async () => {
  const page = await staffPage(ESIMERKKILA, 1280);
  await page.goto(`${portal.base}/admin/resources/members`);
  await sees(page.getByRole('heading', { level: 2, name: 'Jäsenet (3)', exact: true }));
  const keys = new Keyboard(page);

  // «Siirry pääsisältöön»: first, before the ☰ button and the sidebar, and on screen while focused.
  const skip = page.getByRole('link', { name: 'Siirry pääsisältöön', exact: true });
  await keys.tab();
  assert.ok(await keys.has(skip), `the first Tab stop is the skip link, not ${keys.stops.at(-1)?.element}`);
  assert.ok(keys.stops.at(-1)?.onScreen, 'the skip link shows when it has focus');
  await keys.press('Enter');
  assert.ok(await keys.has(page.getByRole('main')), 'focus moves to the main landmark');
  assert.doesNotMatch(page.url(), /#/, 'the address stays the list’s');
  await keys.tab();
  assert.ok(await page.evaluate(() => document.querySelector('main')?.contains(document.activeElement)), 'the next Tab stop is inside the main content');
  assert.ok(!(await skip.isVisible()) || (await skip.boundingBox())!.x < 0, 'the skip link is out of sight again');

  // Two members chosen by their checkboxes with Space, then «Lähetä salasanalinkki valituille».
  for (const name of ['Maija Meikäläinen (100001)', 'Matti Meikäläinen (100002)']) {
    const box = page.getByRole('checkbox', { name: `Valitse: ${name}`, exact: true });
    await keys.tabTo(box);
    await keys.press('Space');
    // React draws the change after the key event: waited for, not read at once.
    await box.and(page.locator(':checked')).waitFor({ timeout: 5000 }).catch(() => undefined);
    assert.equal(await box.isChecked(), true, `${name} is chosen with Space`);
  }
  await sees(page.getByText('Valittu (2)', { exact: true }));
  await keys.tabTo(page.getByRole('link', { name: 'Lähetä salasanalinkki valituille', exact: true }));
  await keys.press('Enter');
  await page.waitForURL(/\/admin\/resources\/members\/bulk\/bulkSendLink\?recordIds=/);
  const chosen = new URL(page.url()).searchParams.get('recordIds')!.split(',').sort();
  const ids = await portal.db('members').whereIn('member_number', ['100001', '100002']).pluck('id');
  assert.deepEqual(chosen, ids.map(String).sort(), 'the bulk send has the two members chosen');
  await sees(page.getByRole('heading', { level: 2 }).first());
  assert.deepEqual(keys.problems(), [], keys.problems().join('\n'));
  await page.context().close();
});
