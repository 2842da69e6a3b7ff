const LOCALES: Record<string, string> = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' };

/**
 * A calendar date (YYYY-MM-DD, taken at noon so that no time zone moves it) or a moment (ISO), as
 * the date it is in Finland, written as the letter writes it (src/letters/letter-pdf.ts formatDate): 3.12.2026.
 */
export function shownDate(value: string, language: string): string {
  const moment = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T12:00:00Z`) : new Date(value);
  return new Intl.DateTimeFormat(LOCALES[language] ?? 'fi-FI', { timeZone: 'Europe/Helsinki', day: 'numeric', month: language === 'en' ? 'long' : 'numeric', year: 'numeric' }).format(moment);
}
