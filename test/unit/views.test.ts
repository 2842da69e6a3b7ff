import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { translator } from '../../src/i18n/index.js';
import { languageSwitch } from '../../src/i18n/language-middleware.js';
import { renderView, VIEWS_DIR } from '../../src/views.js';

const templates = fs.readdirSync(VIEWS_DIR, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.ejs'));

test('every include names its template from the views folder (a relative one costs a disk lookup on every render)', () => {
  assert.ok(templates.length > 20);
  for (const name of templates) {
    for (const [, included] of fs.readFileSync(path.join(VIEWS_DIR, name), 'utf8').matchAll(/include\(\s*['"]([^'"]+)['"]/g)) {
      assert.ok(included!.startsWith('/'), `${name} includes '${included}'`);
      assert.ok(fs.existsSync(path.join(VIEWS_DIR, path.extname(included!) ? included! : `${included}.ejs`)), `${name} includes '${included}', which exists`);
    }
  }
});

test('a page renders without asking the disk whether its includes exist', async () => {
  const checked: string[] = [];
  const existsSync = fs.existsSync;
  fs.existsSync = (file) => {
    checked.push(String(file));
    return existsSync(file);
  };
  try {
    const html = await new Promise<string>((resolve, reject) =>
      renderView(
        path.join(VIEWS_DIR, 'pages', 'login.ejs'),
        {
          settings: { 'view cache': true },
          lang: 'fi',
          t: translator('fi'),
          languages: languageSwitch('fi'),
          federationName: 'Invalidiliitto',
          memberServicesEmail: 'jasenasiat@invalidiliitto.fi',
          hasErrors: false,
          errors: [],
          errorFor: () => undefined,
          csrfToken: 'token',
          member: false,
          devMailbox: false,
          currentPath: '/kirjaudu',
          memberNumber: '',
        },
        (error, rendered) => (error ? reject(error) : resolve(rendered!)),
      ),
    );
    assert.match(html, /<\/html>/);
  } finally {
    fs.existsSync = existsSync;
  }
  assert.deepEqual(checked.filter((file) => file.startsWith(VIEWS_DIR)), []);
});
