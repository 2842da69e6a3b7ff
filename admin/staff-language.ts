import type { Locale } from 'adminjs';
import type { NextFunction, Request, Response } from 'express';
import i18next from 'i18next';
import { AsyncLocalStorage } from 'node:async_hooks';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_LANGUAGE, LANGUAGES, type Language } from '../src/i18n/index.js';
import { languageOf } from '../src/i18n/language-middleware.js';
import { projectRoot } from '../src/project-root.js';

/**
 * The back-office speaks the language the person chose, the same choice as in the member portal:
 * the `kieli` cookie (src/i18n/language-middleware.ts), set by any page's `?lang=xx`. It outlives
 * reloads, logouts and logins. In the back-office AdminJS's language menu sets it
 * (admin/adminjs-internals/language-keeper.tsx), and every page is rendered in it from the start.
 */
type Catalog = NonNullable<Locale['translations']>[string];

export const ADMIN_CATALOGS = Object.fromEntries(
  LANGUAGES.map((language) => [language, JSON.parse(readFileSync(path.join(projectRoot, 'admin', 'locale', `${language}.json`), 'utf8')) as Catalog]),
) as Record<Language, Catalog>;

/**
 * AdminJS asks for its `locale` and `branding` while it renders a page, with the staff member but
 * without the request (and on the login page with neither). The request's language is kept here
 * for that moment. It is set after the session is read: express-session's store callback does not
 * carry the context on, the body parsers (raw-body) and promises do.
 */
const requestLanguage = new AsyncLocalStorage<Language>();

export function staffLanguage(req: Request, _res: Response, next: NextFunction) {
  requestLanguage.run(languageOf(req), next);
}

export function currentStaffLanguage(): Language {
  return requestLanguage.getStore() ?? DEFAULT_LANGUAGE;
}

const i18n = i18next.createInstance();
await i18n.init({
  resources: Object.fromEntries(LANGUAGES.map((language) => [language, { translation: ADMIN_CATALOGS[language] }])),
  lng: DEFAULT_LANGUAGE,
  fallbackLng: false, // a missing string is a defect (test/unit/admin-language.test.ts), not something to paper over
  supportedLngs: [...LANGUAGES],
  interpolation: { escapeValue: false },
  returnNull: false,
} as Parameters<typeof i18n.init>[0]);

/** A text of admin/locale in the given language, by its path there (`messages.originRefused`). */
export function staffText(language: Language, key: string, options?: Record<string, unknown>): string {
  return i18n.getFixedT(language)(key, options ?? {}) as string;
}

/** Whether admin/locale has this path (a catalog key rather than a text already written out). */
export function hasStaffText(key: string): boolean {
  return i18n.exists(key, { lng: DEFAULT_LANGUAGE });
}

/** AdminJS's `locale` option: the page starts in the request's language; the menu offers the three. */
export function adminLocale(): Locale {
  return { language: currentStaffLanguage(), availableLanguages: [...LANGUAGES], localeDetection: false, translations: ADMIN_CATALOGS };
}
