import i18next, { type TFunction } from 'i18next';
import { en } from './en.js';
import { fi } from './fi.js';
import { sv } from './sv.js';

export const LANGUAGES = ['fi', 'sv', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'fi';

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

const i18n = i18next.createInstance();
await i18n.init({
  resources: { fi: { translation: fi }, sv: { translation: sv }, en: { translation: en } },
  lng: DEFAULT_LANGUAGE,
  fallbackLng: false, // a missing string is a defect the catalog tests catch, not something to paper over
  supportedLngs: [...LANGUAGES],
  interpolation: { escapeValue: false }, // EJS escapes on output
  returnNull: false,
} as Parameters<typeof i18n.init>[0]);

export type Translate = TFunction;

/**
 * One translator per language, made once: getFixedT builds a new function (and its closures) on every
 * call. A string asked for by its key alone is looked up in i18next once and then remembered: the
 * catalogs do not change while the process runs, and a portal page asks for thirty-odd such strings
 * (i18next's lookup, through its options and hooks, was the largest single cost in rendering a page
 * or a mail). A string with values put into it ({{name}}) is taken from the catalog once too and the
 * values put in here, as i18next puts them (escapeValue is off): a set-password mail asks for twenty
 * such strings, and i18next's own interpolation was a tenth of the sending process's CPU in a bulk
 * send. Anything else (a count, a context, i18next's own options, a string using more of i18next's
 * syntax, a value that is neither text nor a number) goes to i18next every time;
 * test/unit/translator.test.ts holds the two ways equal for every string of every catalog.
 */
function rememberingTranslator(language: Language): Translate {
  const t = i18n.getFixedT(language);
  const plain = new Map<string, string>();
  const templates = new Map<string, string | null>();
  const templateOf = (key: string): string | null => {
    let template = templates.get(key);
    if (template === undefined) {
      const raw: unknown = i18n.getResource(language, 'translation', key);
      template = typeof raw === 'string' && isSimpleTemplate(raw) ? raw : null;
      templates.set(key, template);
    }
    return template;
  };
  const translate = (key: unknown, ...rest: unknown[]): unknown => {
    if (typeof key !== 'string') return (t as unknown as (...args: unknown[]) => unknown)(key, ...rest);
    if (rest.length === 0) {
      let text = plain.get(key);
      if (text === undefined) plain.set(key, (text = t(key)));
      return text;
    }
    const values = rest[0];
    const template = rest.length === 1 && isPlainValues(values) ? templateOf(key) : null;
    const filled = template === null ? undefined : fillIn(template, values as Record<string, unknown>);
    return filled ?? (t as unknown as (...args: unknown[]) => unknown)(key, ...rest);
  };
  return Object.assign(translate, t) as unknown as Translate;
}

/** i18next's own options: a call that gives any of them is i18next's to answer. */
const I18NEXT_OPTIONS = new Set(['count', 'context', 'defaultValue', 'lng', 'lngs', 'ns', 'returnObjects', 'returnDetails', 'joinArrays', 'postProcess', 'interpolation', 'replace', 'ordinal', 'keySeparator', 'nsSeparator', 'fallbackLng', 'skipInterpolation']);
const PLACEHOLDER = /\{\{([A-Za-z_][A-Za-z0-9_]*)\}\}/g;

function isPlainValues(values: unknown): boolean {
  return typeof values === 'object' && values !== null && !Array.isArray(values) && Object.keys(values).every((name) => !I18NEXT_OPTIONS.has(name));
}

/** Only {{name}} placeholders: no formats, no nesting ($t), nothing else of i18next's syntax. */
function isSimpleTemplate(raw: string): boolean {
  const rest = raw.replace(PLACEHOLDER, '');
  return !rest.includes('{{') && !rest.includes('}}') && !rest.includes('$t(');
}

/** The template with its values put in; undefined when a value is missing or not text or a number (i18next's to handle). */
function fillIn(template: string, values: Record<string, unknown>): string | undefined {
  let complete = true;
  const filled = template.replace(PLACEHOLDER, (_match, name: string) => {
    const value = values[name];
    if (typeof value === 'string') return value;
    if (typeof value === 'number') return String(value);
    complete = false;
    return '';
  });
  return complete ? filled : undefined;
}

const translators = new Map<Language, Translate>(LANGUAGES.map((language) => [language, rememberingTranslator(language)]));

export function translator(language: Language): Translate {
  return translators.get(language)!;
}
