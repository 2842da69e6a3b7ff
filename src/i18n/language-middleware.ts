import type { NextFunction, Request, Response } from 'express';
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
      const url = new URL(req.originalUrl, 'http://placeholder');
      url.searchParams.delete('lang');
      res.redirect(303, url.pathname + url.search);
      return;
    }
    const fromCookie = parseCookie(req.headers.cookie, COOKIE);
    const language: Language = isLanguage(fromCookie) ? fromCookie : DEFAULT_LANGUAGE;
    res.locals.lang = language;
    res.locals.t = translator(language);
    res.locals.languages = LANGUAGES.map((code) => ({ code, name: translator(code)('languageName'), current: code === language }));
    res.locals.currentPath = req.path;
    next();
  };
}

function parseCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return decodeURIComponent(value.join('='));
  }
  return undefined;
}
