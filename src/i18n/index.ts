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
 * or a mail). A call with options (values to put in, a count) goes to i18next every time.
 */
function rememberingPlainStrings(t: Translate): Translate {
  const plain = new Map<string, string>();
  const translate = (key: unknown, ...rest: unknown[]): unknown => {
    if (rest.length > 0 || typeof key !== 'string') return (t as unknown as (...args: unknown[]) => unknown)(key, ...rest);
    let text = plain.get(key);
    if (text === undefined) plain.set(key, (text = t(key)));
    return text;
  };
  return Object.assign(translate, t) as unknown as Translate;
}

const translators = new Map<Language, Translate>(LANGUAGES.map((language) => [language, rememberingPlainStrings(i18n.getFixedT(language))]));

export function translator(language: Language): Translate {
  return translators.get(language)!;
}
