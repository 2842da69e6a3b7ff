/**
 * The page's language and its texts, as AdminJS 7.8 writes them into every page it renders
 * (`window.REDUX_STATE.locale`: the `locale` option, admin/staff-language.ts). For texts needed
 * outside React's tree, where AdminJS's useTranslation cannot be called: the defaults given to the
 * design system's select and date picker before the first page is drawn. A language change reloads
 * the page (language-keeper.tsx), so what the page was rendered with is what it shows.
 * Guarded by test/unit/adminjs-internals-language.test.ts (the state's shape) and
 * test/browser/admin-language.test.ts (the texts on the page).
 */
export type Messages = Record<string, string | undefined>;
export type Translate = (key: string, values?: Record<string, string | number>) => string;

interface LocaleState {
  language: string;
  translations?: Record<string, { messages?: Messages } | undefined>;
}

export function pageLocale(): LocaleState {
  const state = (window as unknown as { REDUX_STATE?: { locale?: LocaleState } }).REDUX_STATE;
  return state?.locale ?? { language: document.documentElement.lang || 'fi' };
}

/** i18next's way with our catalogs: `{{name}}` filled in, `_one`/`_other` chosen by `count`. */
export function messageTranslator(language: string, messages: Messages): Translate {
  const plurals = new Intl.PluralRules(language);
  return (key, values = {}) => {
    const count = values.count;
    const form = typeof count === 'number' ? messages[`${key}_${plurals.select(count)}`] : undefined;
    const template = form ?? messages[key] ?? key;
    return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(values[name] ?? ''));
  };
}

export function pageTranslator(): Translate {
  const { language, translations } = pageLocale();
  return messageTranslator(language, translations?.[language]?.messages ?? {});
}
