import assert from 'node:assert/strict';
import { test } from 'node:test';
import { en } from '../../src/i18n/en.js';
import { fi } from '../../src/i18n/fi.js';
import { LANGUAGES, translator, type Language } from '../../src/i18n/index.js';
import { sv } from '../../src/i18n/sv.js';

const catalogs: Record<Language, object> = { fi, sv, en };

/** Every key of a catalog, as t() takes it ('mail.link.copy'). */
function keysOf(catalog: object, prefix = ''): string[] {
  return Object.entries(catalog).flatMap(([name, value]) => (typeof value === 'object' && value !== null && !Array.isArray(value) ? keysOf(value, `${prefix}${name}.`) : [`${prefix}${name}`]));
}

test('a string asked for by its key alone is what i18next gives, the first time and every time after', () => {
  for (const language of LANGUAGES) {
    const t = translator(language);
    for (const key of keysOf(catalogs[language])) {
      // With options (even none), the call goes to i18next itself.
      const fromI18next = t(key, {});
      assert.equal(t(key), fromI18next, `${language} ${key}`);
      assert.equal(t(key), fromI18next, `${language} ${key}, remembered`);
    }
  }
});

test('values put into a string are never remembered for the next call', () => {
  const t = translator('fi');
  const first = t('mail.signature', { federation: 'Ensimmäinen liitto' });
  const second = t('mail.signature', { federation: 'Toinen liitto' });
  assert.match(first, /Ensimmäinen liitto/);
  assert.match(second, /Toinen liitto/);
  assert.doesNotMatch(second, /Ensimmäinen/);
});

test('a string with values put in is what i18next gives, for every string of every catalog', () => {
  for (const language of LANGUAGES) {
    const t = translator(language);
    for (const key of keysOf(catalogs[language])) {
      const raw = key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], catalogs[language]);
      const placeholders = [...String(raw).matchAll(/\{\{([A-Za-z_]\w*)\}\}/g)].map((match) => match[1]!);
      for (const values of [
        Object.fromEntries(placeholders.map((name) => [name, `<${name}> & "${name}" $& $1 {{x}}`])),
        Object.fromEntries(placeholders.map((name, i) => [name, i * 7])),
        Object.fromEntries(placeholders.slice(1).map((name) => [name, 'only some'])),
      ]) {
        if ('count' in values) continue; // plurals are i18next's
        // Giving one of i18next's own options (here an empty interpolation) sends the call to i18next itself.
        assert.equal(t(key, values), t(key, { ...values, interpolation: {} }), `${language} ${key} ${JSON.stringify(values)}`);
      }
    }
  }
});
