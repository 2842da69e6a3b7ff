import { DatePicker, Select, SelectAsync } from '@adminjs/design-system';
import { useTranslation } from 'adminjs';
import React, { useEffect } from 'react';
import { localiseDatePicker } from './date-picker-language.js';
import { pageLocale, pageTranslator } from './page-language.js';
import { localiseSelects } from './select-language.js';

/**
 * The back-office's language, kept and spoken everywhere.
 *
 * When this bundle loads (before AdminJS draws the first page), the design system's select and date
 * picker get the page's language as their defaults (select-language.ts, date-picker-language.tsx).
 *
 * AdminJS's language menu only switches the page in memory: a reload is back in the language the
 * server chose. Choosing a language here goes to the same address with `?lang=xx`, which stores the
 * choice in the `kieli` cookie, the portal's (src/i18n/language-middleware.ts), and comes back to
 * the page rendered in it: everything, including what the server writes, is then in that language,
 * and stays so across reloads, logouts and logins.
 *
 * This is AdminJS's Footer (componentLoader.override('Footer')): AdminJS draws nothing there, and it
 * is on every page once logged in, which is where the language menu is.
 */
localiseSelects([Select, SelectAsync], pageTranslator());
localiseDatePicker(DatePicker, pageLocale().language, pageTranslator());

/** The same page with `?lang=xx`: src/i18n/language-middleware.ts stores the choice and redirects back. */
function withLanguage(href: string, language: string): string {
  const url = new URL(href);
  url.searchParams.set('lang', language);
  return url.toString();
}

const LanguageKeeper: React.FC = () => {
  const { i18n } = useTranslation();
  useEffect(() => {
    const rendered = pageLocale().language;
    const keep = (language: string) => {
      if (language !== rendered) window.location.replace(withLanguage(window.location.href, language));
    };
    i18n.on('languageChanged', keep);
    return () => i18n.off('languageChanged', keep);
  }, [i18n]);
  return null;
};

export default LanguageKeeper;
