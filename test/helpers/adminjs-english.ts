import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../src/project-root.js';

/**
 * The English that the back-office would show where a translation is missing: AdminJS 7.8's own
 * catalog (every text of adminjs/lib/locale/en/translation.json), and the words that react-select and
 * react-datepicker have built in, as they stand in the design system's browser bundle (the unit test
 * adminjs-internals-language.test.ts checks that each of LIBRARY_ENGLISH is there).
 */
export const REACT_SELECT_ENGLISH = [
  'Select...',
  'No options',
  'Loading...',
  'result available',
  'results available',
  'Use Up and Down to choose options',
  'press Enter to select the currently focused option',
  'press Escape to exit the menu',
  'press Tab to select the option and exit the menu',
  'is focused',
  'type to refine list',
  'press Down to open the menu',
  'Use left and right to toggle between focused values',
  'press Backspace to remove the currently focused value',
  'All selected options have been cleared.',
  'Select another option.',
  'for search term',
];

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export const REACT_DATEPICKER_ENGLISH = ['Choose', 'Not available', 'Previous Month', 'Next Month', 'Previous Year', 'Next Year', 'Selected date: ', 'Time'];

/** The design system's own hint in its date fields. */
export const DESIGN_SYSTEM_ENGLISH = ['YYYY/MM/DD'];

export const LIBRARY_ENGLISH = [...REACT_SELECT_ENGLISH, ...REACT_DATEPICKER_ENGLISH, ...DESIGN_SYSTEM_ENGLISH];

/** The texts react-select puts together from pieces («3 result» + «s» + « available»), as the pieces stand in the bundle. */
export const BUNDLE_PIECES: Record<string, string[]> = { 'result available': [' result', ' available'], 'results available': [' result', ' available'] };

type Tree = { [key: string]: string | Tree };
const texts = (tree: Tree): string[] => Object.values(tree).flatMap((value) => (typeof value === 'string' ? [value] : texts(value)));

export function adminjsCatalogEnglish(): string[] {
  const file = path.join(projectRoot, 'node_modules', 'adminjs', 'lib', 'locale', 'en', 'translation.json');
  return texts(JSON.parse(readFileSync(file, 'utf8')) as Tree);
}

export interface EnglishPattern {
  english: string;
  pattern: RegExp;
}

/**
 * A pattern per English text: interpolations (`{{count}}`) match anything, markup (`<1>…</1>`) is
 * left out, and a text that starts or ends with a letter must stand as words of its own there
 * («To» is not found in «Tosi»). Case counts: «Time» is English, «time» might not be.
 * `more` adds texts of the page's own making (see `fallbackNames`).
 * `ownWords` are texts the language's own catalog uses (Swedish «Filter», «English» as the name of
 * the language in the language menu): those are words of the page's language, not leftovers.
 */
export function englishPatterns(ownWords: Set<string>, more: string[] = []): EnglishPattern[] {
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const all = [...adminjsCatalogEnglish(), ...LIBRARY_ENGLISH, ...MONTHS, ...DAYS, ...more];
  return [...new Set(all)]
    .filter((english) => !ownWords.has(english))
    .map((english) => {
      const parts = english.replace(/<\/?\d+>/g, '').split(/\{\{\w+\}\}/).map(escape);
      const body = parts.join('.+?');
      const start = /^\p{L}/u.test(english) ? '(?<![\\p{L}\\p{N}])' : '';
      const end = /\p{L}$/u.test(english) ? '(?![\\p{L}\\p{N}])' : '';
      return { english, pattern: new RegExp(`${start}${body}${end}`, 'u') };
    });
}

/**
 * Every text of one of our catalogs (admin/locale), and every word in them, for `englishPatterns`:
 * a word the catalog itself uses in that language (Swedish «status») is no leftover.
 */
export function catalogTexts(language: string): Set<string> {
  const all = texts(JSON.parse(readFileSync(path.join(projectRoot, 'admin', 'locale', `${language}.json`), 'utf8')) as Tree);
  return new Set([...all, ...all.flatMap((text) => text.split(/[^\p{L}\p{N}_-]+/u).filter(Boolean))]);
}

/**
 * What AdminJS shows for a name that has no translation: the name itself made into words
 * (`resolved_by` → «Resolved By», lodash's startCase), and what our own components show for one
 * (the name as it is: «details», «sent»). Names shorter than four letters are left to the first form.
 */
export function fallbackNames(names: string[]): string[] {
  const startCase = (name: string) =>
    name
      .replace(/([a-z])([A-Z])/g, '$1 $2')
      .split(/[\s_.-]+/)
      .filter(Boolean)
      .map((word) => word[0]!.toUpperCase() + word.slice(1))
      .join(' ');
  return [...new Set(names.flatMap((name) => [startCase(name), ...(name.length >= 4 ? [name] : [])]))];
}
