import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { OVERRIDDEN, SIDEBAR_FIXED_FROM } from '../../admin/adminjs-internals/names.js';
import { projectRoot } from '../../src/project-root.js';

/**
 * What the back-office's component overrides (admin/components) take for granted about AdminJS,
 * read from the AdminJS and design-system packages installed: an upgrade that changes any of it fails
 * here, before a page quietly loses its keyboard access. The browser side (the names on the global
 * `window.AdminJS`, the top bar's ☰ box) is checked in test/browser/admin-keyboard.test.ts.
 */
const adminjs = path.join(projectRoot, 'node_modules', 'adminjs');
const designSystem = path.join(projectRoot, 'node_modules', '@adminjs', 'design-system');
const declaration = (file: string) => readFileSync(path.join(adminjs, 'types', 'src', 'frontend', file), 'utf8');
const source = (file: string) => readFileSync(path.join(adminjs, 'src', 'frontend', file), 'utf8');

test('every component we override is one AdminJS lets be overridden', () => {
  // Every quoted name of the union type, the first one (with no | before it) included.
  const names = [...declaration('utils/overridable-component.d.ts').matchAll(/'(\w+)'/g)].map((m) => m[1]);
  for (const name of OVERRIDDEN) assert.ok(names.includes(name), `${name} is overridable`);
});

test('the overrides are registered under those names (admin/components/loader.ts)', () => {
  const loader = readFileSync(path.join(projectRoot, 'admin', 'components', 'loader.ts'), 'utf8');
  for (const name of OVERRIDDEN) assert.match(loader, new RegExp(`componentLoader\\.override\\('${name}'`), name);
});

test('Sidebar still gets only isVisible and TopBar only toggleSidebar (their props are not exported to type against)', () => {
  assert.match(declaration('components/app/sidebar/sidebar.d.ts'), /type Props = \{\s*isVisible: boolean;\s*\}/);
  assert.match(declaration('components/app/top-bar.d.ts'), /type Props = \{\s*toggleSidebar: \(\) => void;\s*\}/);
});


test("AdminJS's top bar still draws its ☰ as a box with a click handler, its first child (focus-styles.tsx hides it)", () => {
  const topBar = source('components/app/top-bar.tsx');
  assert.match(topBar, /<NavBar data-css="topbar">\s*<Box\s+py="lg"[\s\S]*?onClick=\{toggleSidebar\}[\s\S]*?<Icon icon="Menu"/);
});

test('the sidebar is off screen below the width sidebar.tsx and top-bar.tsx assume', () => {
  const theme = readFileSync(path.join(designSystem, 'src', 'theme.ts'), 'utf8');
  const breakpoints = theme.slice(theme.indexOf('export const breakpoints'));
  assert.equal(breakpoints.match(/'(\d+px)'/g)?.[3], `'${SIDEBAR_FIXED_FROM}'`);
  const sidebar = source('components/app/sidebar/sidebar.tsx');
  assert.match(sidebar, /position: \['absolute', 'absolute', 'absolute', 'absolute', 'initial'\]/);
});

test('AdminJS\'s top bar draws its language menu just before LoggedIn (logged-in.tsx hides that element)', () => {
  const topBar = source('components/app/top-bar.tsx');
  assert.match(topBar, /<LanguageSelect \/>\s*\{session && session\.email \? <LoggedIn /, 'LanguageSelect is the element before LoggedIn');
});

test("AdminJS's new and edit forms are <form>s named by data-css «resource-action-form» (record-form.tsx turns the browser's checks off on them)", () => {
  for (const file of ['components/actions/new.tsx', 'components/actions/edit.tsx']) {
    const form = source(file);
    assert.match(form, /const formTag = getActionElementCss\(resource\.id, action\.name, 'form'\)/, file);
    assert.match(form, /as="form"[\s\S]*?data-css=\{formTag\}/, file);
  }
  assert.match(readFileSync(path.join(adminjs, 'src', 'frontend', 'utils', 'data-css-name.ts'), 'utf8'), /args\.join\('-'\)/);
});

test("a form field's error is a FormMessage, last in the FormGroup with the label (control-names.ts ties it to the input)", () => {
  const edit = source('components/property-type/default-type/edit.tsx');
  assert.match(edit, /<FormGroup error=\{Boolean\(error\)\}>\s*<PropertyLabel[\s\S]*?<FormMessage>\{error && tm\(error\.message, property\.resourceId\)\}<\/FormMessage>\s*<\/FormGroup>/);
  // FormMessage is a styled Text: it carries Text's class name (adminjs_Text), not one of its own.
  const message = readFileSync(path.join(designSystem, 'src', 'molecules', 'form-group', 'form-message.tsx'), 'utf8');
  assert.match(message, /styled\(Text\)/);
});

test("the list's header row still takes the props records-table-header.tsx draws it from", () => {
  const header = declaration('components/app/records-table/records-table-header.d.ts');
  for (const prop of ['titleProperty: BasePropertyJSON', 'properties: Array<BasePropertyJSON>', "direction?: 'asc' | 'desc'", 'onSelectAll?: () => any', 'selectedAll?: boolean', 'sortBy?: string']) {
    assert.ok(header.includes(prop), prop);
  }
});
