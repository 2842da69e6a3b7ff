import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../src/project-root.js';

export type AdminLanguage = 'fi' | 'sv' | 'en';

/** The back-office's `messages` in each language (admin/locale), as tests compare what staff are told. */
export const adminMessages = Object.fromEntries(
  (['fi', 'sv', 'en'] as const).map((language) => [language, JSON.parse(readFileSync(path.join(projectRoot, 'admin', 'locale', `${language}.json`), 'utf8')).messages as Record<string, string>]),
) as Record<AdminLanguage, Record<string, string>>;
