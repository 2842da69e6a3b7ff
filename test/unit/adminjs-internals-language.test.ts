import * as DesignSystem from '@adminjs/design-system';
import * as StyledComponents from '@adminjs/design-system/styled-components';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { test } from 'node:test';
import React from 'react';
import { datePickerTexts } from '../../admin/adminjs-internals/date-picker-language.js';
import { messageTranslator, type Messages } from '../../admin/adminjs-internals/page-language.js';
import { localiseSelects, selectTexts } from '../../admin/adminjs-internals/select-language.js';
import { AdminJS } from '../../admin/adminjs-runtime.js';
import { ADMIN_CATALOGS } from '../../admin/staff-language.js';
import { projectRoot } from '../../src/project-root.js';
import { BUNDLE_PIECES, LIBRARY_ENGLISH } from '../helpers/adminjs-english.js';

/**
 * What the language half of the back-office relies on in AdminJS 7.8 and the libraries inside it,
 * beyond its documented options (admin/adminjs-internals: language-keeper.tsx, page-language.ts,
 * select-language.ts, date-picker-language.tsx, datetime-filter.tsx). Each test fails when an
 * upgrade changes one of them; test/browser/admin-language.test.ts checks the same on the real pages.
 */
const adminjs = (...parts: string[]) => readFileSync(path.join(projectRoot, 'node_modules', 'adminjs', ...parts), 'utf8');
const designSystem = (...parts: string[]) => readFileSync(path.join(projectRoot, 'node_modules', '@adminjs', 'design-system', ...parts), 'utf8');
const APP_BUNDLE = adminjs('lib', 'frontend', 'assets', 'scripts', 'app-bundle.production.js');
const DESIGN_SYSTEM_BUNDLE = designSystem('bundle.production.js');
// Rendered to HTML here as in the browser; these come without type declarations.
const require = createRequire(import.meta.url);
const { renderToStaticMarkup } = require('react-dom/server') as { renderToStaticMarkup(element: React.ReactElement): string };
const ReactDatePicker = (require('react-datepicker') as { default: React.ComponentType<Record<string, unknown>> }).default;
const { ThemeProvider } = StyledComponents as unknown as { ThemeProvider: React.ComponentType<{ theme: unknown; children?: React.ReactNode }> };
type WithDefaults = { defaultProps?: Record<string, unknown> };
const Select = DesignSystem.Select as unknown as React.ComponentType<Record<string, unknown>> & WithDefaults;
const SelectAsync = DesignSystem.SelectAsync as unknown as React.ComponentType<Record<string, unknown>> & WithDefaults;
const messages = (language: 'fi' | 'sv' | 'en') => (ADMIN_CATALOGS[language] as { messages: Messages }).messages;

test('AdminJS draws its Footer (nothing) on every page after login, and lets it and the date filter be replaced by name', () => {
  const footer = adminjs('lib', 'frontend', 'components', 'app', 'footer.js');
  assert.match(footer, /const Footer = \(\) => null;/, 'AdminJS draws nothing there: the language keeper takes nothing away');
  assert.match(footer, /allowOverride\(Footer, 'Footer'\)/);
  assert.match(adminjs('lib', 'frontend', 'components', 'application.js'), /React\.createElement\(Footer, null\)/, 'every logged-in page has it');
  const dateFilter = adminjs('lib', 'frontend', 'components', 'property-type', 'datetime', 'filter.js');
  assert.match(dateFilter, /allowOverride\(Filter, 'DefaultDatetimeFilterProperty'\)/);
  assert.match(dateFilter, /const fromKey = `\$\{property\.path\}\$\{PARAM_SEPARATOR\}from`;/);
  assert.match(adminjs('lib', 'backend', 'utils', 'filter', 'filter.js'), /export const PARAM_SEPARATOR = '~~';/, 'the date filter\'s keys (datetime-filter.tsx)');
  // The browser runs the bundle, not the sources: the same names are in it.
  for (const name of ['Footer', 'DefaultDatetimeFilterProperty']) assert.ok(APP_BUNDLE.includes(`"${name}")`), `${name} in app-bundle.production.js`);
});

test('AdminJS writes the language and catalogs its locale function gives into the page, as window.REDUX_STATE', async () => {
  const admin = new AdminJS({
    rootPath: '/admin',
    locale: () => ({ language: 'sv', availableLanguages: ['fi', 'sv', 'en'], translations: ADMIN_CATALOGS }),
    branding: () => ({ companyName: 'Förbundet – administration', withMadeWithLove: false }),
  });
  const html = await admin.renderLogin({ action: '/admin/login' });
  assert.match(html, /<html lang=sv>/);
  assert.match(html, /<title>Förbundet – administration<\/title>/, 'branding given by a function');
  const start = html.indexOf('window.REDUX_STATE = ') + 'window.REDUX_STATE = '.length;
  const state = JSON.parse(html.slice(start, html.indexOf(';\n', start))) as { locale: { language: string; translations: Record<string, { messages: Messages }> } };
  assert.equal(state.locale.language, 'sv');
  // What page-language.ts reads in the browser.
  const t = messageTranslator(state.locale.language, state.locale.translations.sv!.messages);
  assert.equal(t('select_placeholder'), messages('sv').select_placeholder);
  assert.equal(t('select_results', { count: 3 }), messages('sv').select_results_other!.replace('{{count}}', '3'));
});

/** React's warning that defaultProps of function components will go (React 19): known, and checked below. */
function quietly<T>(render: () => T): T {
  const original = console.error;
  console.error = (...args: unknown[]) => (/defaultProps/.test(String(args[0])) ? undefined : original(...args));
  try {
    return render();
  } finally {
    console.error = original;
  }
}

test('the design system\'s Select and SelectAsync hand our texts on to react-select', () => {
  const t = messageTranslator('fi', messages('fi'));
  const saved = [Select.defaultProps, SelectAsync.defaultProps];
  localiseSelects([Select, SelectAsync], t);
  try {
    const render = (element: React.ReactElement) => quietly(() => renderToStaticMarkup(React.createElement(ThemeProvider, { theme: DesignSystem.theme }, element)));
    const empty = render(React.createElement(Select, { options: [], menuIsOpen: true }));
    assert.ok(empty.includes(messages('fi').select_placeholder!), 'placeholder');
    assert.ok(empty.includes(messages('fi').select_noOptions!), 'no options');
    const loading = render(React.createElement(SelectAsync, { loadOptions: () => new Promise(() => undefined), defaultOptions: true, menuIsOpen: true }));
    assert.ok(loading.includes(messages('fi').select_loading!), 'loading');
  } finally {
    [Select.defaultProps, SelectAsync.defaultProps] = saved;
  }
  // The announcements are props react-select reads by these names (its defaults are what we replace).
  for (const name of Object.keys(selectTexts(t)).concat(Object.keys(selectTexts(t).ariaLiveMessages))) assert.ok(DESIGN_SYSTEM_BUNDLE.includes(name), `react-select knows ${name}`);
});

test('react-datepicker takes our texts and locale: months and days in the language, weeks from Monday', () => {
  const expected = {
    fi: { month: 'marraskuu 2026', days: ['ma', 'ti', 'ke', 'to', 'pe', 'la', 'su'], day: 'Valitse sunnuntaina 1. marraskuuta 2026' },
    sv: { month: 'november 2026', days: ['må', 'ti', 'on', 'to', 'fr', 'lö', 'sö'], day: 'Välj söndag 1 november 2026' },
  };
  for (const language of ['fi', 'sv'] as const) {
    const props = { ...datePickerTexts(language, messageTranslator(language, messages(language))), inline: true, showTimeInput: true, selected: new Date(2026, 10, 1, 12), onChange: () => undefined };
    const html = renderToStaticMarkup(React.createElement(ReactDatePicker, props));
    assert.ok(html.includes(`>${expected[language].month}<`), `${language}: the month`);
    const days = [...html.matchAll(/class="react-datepicker__day-name"[^>]*>([^<]*)</g)].map((match) => match[1]);
    assert.deepEqual(days, expected[language].days, `${language}: weekdays from Monday`);
    assert.ok(html.includes(`aria-label="${expected[language].day}"`), `${language}: a day's name`);
    for (const english of ['Choose', 'Previous Month', 'Next Month', 'Time', 'November', 'Sunday']) assert.ok(!new RegExp(`\\b${english}\\b`).test(html), `${language}: no «${english}»`);
  }
});

test('the design system\'s DatePicker passes react-datepicker\'s props on, and the react-datepicker it carries knows each one we give', () => {
  const source = designSystem('build', 'molecules', 'date-picker', 'date-picker.js');
  assert.match(source, /placeholderText,\s*dateFormat,\s*\.\.\.other\s*\} = props;/, 'the rest of the props is kept');
  assert.match(source, /React\.createElement\(ReactDatePicker, _extends\(\{[\s\S]*?\}, other\)\)/, '…and given to react-datepicker');
  const given = Object.keys(datePickerTexts('fi', messageTranslator('fi', messages('fi')))).filter((name) => name !== 'locale');
  for (const name of given) assert.ok(DESIGN_SYSTEM_BUNDLE.includes(name), `react-datepicker knows ${name}`);
});

test('the English the browser test looks for is what the design system\'s bundle would show', () => {
  const unescaped = DESIGN_SYSTEM_BUNDLE.replace(/\\"/g, '"');
  for (const english of LIBRARY_ENGLISH) {
    for (const piece of BUNDLE_PIECES[english] ?? [english.trim()]) assert.ok(unescaped.includes(piece), `«${piece}» in the design system's bundle`);
  }
});

test('defaultProps still count: AdminJS runs React 18 in the browser (React 19 ignores them on function components)', () => {
  const version = /\.version="(\d+)\.\d+\.\d+",\w+\.exports=/.exec(adminjs('lib', 'frontend', 'assets', 'scripts', 'global-bundle.production.js'))?.[1];
  assert.equal(version, '18', 'with React 19, select-language.ts and date-picker-language.tsx must give their texts another way');
});
