import type { NextFunction, Request, Response } from 'express';
import { cookieValue } from '../cookie-value.js';
import { linkPageHeaders } from '../portal/security.js';
import { DEFAULT_LANGUAGE, isLanguage, LANGUAGES, translator, type Language } from './index.js';

const COOKIE = 'kieli';
const ONE_YEAR_MS = 365 * 24 * 3600 * 1000;

/**
 * Finnish unless the person chose otherwise. The language switch links to the same page with
 * ?lang=xx; we remember the choice in a cookie and redirect back to the clean address, so the
 * person stays where they were.
 */
export function languageMiddleware(secureCookies: boolean) {
  return (req: Request, res: Response, next: NextFunction) => {
    const asked = req.query.lang;
    if (req.method === 'GET' && isLanguage(asked)) {
      res.cookie(COOKIE, asked, { httpOnly: true, sameSite: 'lax', secure: secureCookies, maxAge: ONE_YEAR_MS, path: '/' });
      // The address may be a set-password link with its token: the redirect gets the link page's
      // headers (never cached, never sent on as a referrer), whichever page it leads back to.
      linkPageHeaders(req, res, () => undefined);
      res.redirect(303, withoutLanguage(req.originalUrl));
      return;
    }
    useLanguage(req, res, languageOf(req));
    next();
  };
}

/** The person's language from the `kieli` cookie; anything but a known code (however malformed) is no choice. */
export function languageOf(req: Request): Language {
  const chosen = cookieValue(req.headers.cookie, COOKIE); // raw: language codes need no decoding
  return isLanguage(chosen) ? chosen : DEFAULT_LANGUAGE;
}

/** The footer's language switch as seen from each language: built once, the same for every page. */
const LANGUAGE_SWITCH = Object.fromEntries(
  LANGUAGES.map((language) => [language, Object.freeze(LANGUAGES.map((code) => Object.freeze({ code, name: translator(code)('languageName'), current: code === language })))]),
) as Record<Language, ReadonlyArray<{ code: Language; name: string; current: boolean }>>;

/** What every page template needs to speak the person's language. */
export function useLanguage(req: Request, res: Response, language: Language) {
  res.locals.lang = language;
  res.locals.t = translator(language);
  res.locals.languages = languageSwitch(language);
  res.locals.currentPath = req.path;
}

/** The footer's language switch of a page in `language` (also for the bench's bare server and the views test). */
export function languageSwitch(language: Language): ReadonlyArray<{ code: Language; name: string; current: boolean }> {
  return LANGUAGE_SWITCH[language];
}

/** The same page without ?lang; always a path on this site ("//host" would leave it). */
function withoutLanguage(originalUrl: string): string {
  try {
    const url = new URL(originalUrl, 'http://placeholder');
    url.searchParams.delete('lang');
    return url.pathname.replace(/^\/+/, '/') + url.search;
  } catch {
    return '/';
  }
}
