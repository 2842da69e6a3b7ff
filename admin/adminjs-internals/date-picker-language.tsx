import enGB from 'date-fns/locale/en-GB/index.js';
import fi from 'date-fns/locale/fi/index.js';
import sv from 'date-fns/locale/sv/index.js';
import React from 'react';
import type { Translate } from './page-language.js';

/**
 * react-datepicker, inside the design system's DatePicker, speaks English and starts weeks on
 * Sunday: «November 2026», «Su Mo Tu…», «Choose Sunday, November 1st, 2026», «Previous Month»,
 * «Time». Given a date-fns locale it names months and days in the language and starts the week
 * where the locale does (Monday in Finnish, Swedish and British English); its remaining English
 * words are props. All of them are given here as the DatePicker's defaultProps, which the design
 * system passes on to react-datepicker (test/unit/adminjs-internals-language.test.ts checks both).
 */
const LOCALES: Record<string, typeof fi> = { fi, sv, en: enGB };

/**
 * How a date is typed: as the back-office's lists and pages show dates (2026-11-30 14:00, ISO 8601,
 * which Finnish and Swedish usage also accept), so that what staff read is what they type.
 */
const DATE_FORMAT = 'yyyy-MM-dd';

/**
 * react-datepicker's time field has only a placeholder «Time» as its name (screen readers read it);
 * its `customTimeInput` is cloned with the time and the handler, and this one has a name.
 */
const TimeInput: React.FC<{ label: string; value?: string; onChange?: (time: string) => void }> = ({ label, value, onChange }) => (
  <input type="time" className="react-datepicker-time__input" aria-label={label} required value={value ?? ''} onChange={(event) => onChange?.(event.target.value || value || '')} />
);

export function datePickerTexts(language: string, t: Translate) {
  return {
    locale: LOCALES[language] ?? fi,
    chooseDayAriaLabelPrefix: t('datePicker_chooseDay'),
    disabledDayAriaLabelPrefix: t('datePicker_notAvailable'),
    previousMonthButtonLabel: t('datePicker_previousMonth'),
    nextMonthButtonLabel: t('datePicker_nextMonth'),
    previousMonthAriaLabel: t('datePicker_previousMonth'),
    nextMonthAriaLabel: t('datePicker_nextMonth'),
    previousYearButtonLabel: t('datePicker_previousYear'),
    nextYearButtonLabel: t('datePicker_nextYear'),
    previousYearAriaLabel: t('datePicker_previousYear'),
    nextYearAriaLabel: t('datePicker_nextYear'),
    monthAriaLabelPrefix: t('datePicker_month'),
    weekAriaLabelPrefix: t('datePicker_week'),
    weekLabel: t('datePicker_week'),
    timeInputLabel: t('datePicker_time'),
    timeCaption: t('datePicker_time'),
    ariaLabelClose: t('datePicker_clear'),
    customTimeInput: <TimeInput label={t('datePicker_time')} />,
    // The calendar opens on a click, not when the field gets focus: otherwise Tab stays inside the
    // calendar until Esc closes it, which nothing tells a keyboard user. Typing the date always works.
    preventOpenOnFocus: true,
  };
}

/**
 * The typed date's format, mask and hint for a date or a date and time, the hint in the language
 * (the design system's is «YYYY/MM/DD HH:mm»). Given by the date filter (datetime-filter.tsx),
 * which knows whether its property has a time.
 */
export function dateInputProps(withTime: boolean, t: Translate) {
  const digit = { regex: '\\d' };
  const dateMask = DATE_FORMAT.split('').map((char) => (/[dMy]/.test(char) ? digit : char));
  const timeMask = [' ', digit, digit, ':', digit, digit];
  return {
    dateFormat: withTime ? `${DATE_FORMAT} HH:mm` : DATE_FORMAT,
    placeholderText: t(withTime ? 'datePicker_hintDateTime' : 'datePicker_hintDate'),
    inputMask: { mask: withTime ? [...dateMask, ...timeMask] : dateMask },
  };
}

/** What was chosen, said in the language: «Valittu: torstai 1. lokakuuta 2026 klo 0.00». */
const INTL_LOCALES: Record<string, string> = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' };

export function chosenDateText(language: string, iso: string, withTime: boolean, t: Translate): string {
  const format = new Intl.DateTimeFormat(INTL_LOCALES[language] ?? 'fi-FI', withTime ? { dateStyle: 'full', timeStyle: 'short' } : { dateStyle: 'full' });
  return t('datePicker_chosen', { date: format.format(new Date(iso)) });
}

type WithDefaults = { defaultProps?: Record<string, unknown> };

/** The design system's DatePicker, given the language as defaults (a prop given by AdminJS still wins). */
export function localiseDatePicker(datePicker: WithDefaults, language: string, t: Translate): void {
  datePicker.defaultProps = { ...datePicker.defaultProps, ...datePickerTexts(language, t) };
}
