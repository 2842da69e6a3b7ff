import { DatePicker, FormGroup, Label } from '@adminjs/design-system';
import { styled } from '@adminjs/design-system/styled-components';
import { PropertyLabel, useTranslation, type FilterPropertyProps } from 'adminjs';
import React, { useState } from 'react';
import { chosenDateText, dateInputProps } from './date-picker-language.js';
import { pageLocale, pageTranslator } from './page-language.js';

/**
 * A date filter («Aika: Alkaen – Päättyen»), in place of AdminJS's DefaultDatetimeFilterProperty
 * (componentLoader.override, admin/components/loader.ts). The same two date pickers, with what
 * AdminJS's leaves out:
 * - the date is typed as the lists show it (2026-11-30 14:00), with a hint in the language;
 * - each field is named by the property and its end («Aika – Alkaen»), where AdminJS's labels point
 *   at no input (admin/components/control-names.ts patched that in the browser before);
 * - a chosen date is announced in the language: react-datepicker's own announcement is the English
 *   «Selected date: …», written into its code, so that one is left out and ours said instead.
 * The filter's keys (`at~~from`, `at~~to`) are AdminJS's (its Filter's PARAM_SEPARATOR).
 */
const PARAM_SEPARATOR = '~~';

/** The design system's DatePicker passes react-datepicker's props on, though its type (built without react-datepicker's) does not list them. */
const Picker = DatePicker as unknown as React.FC<Record<string, unknown>>;

/** react-datepicker's «Selected date: …» region, beside its input (the calendar's month announcement stays). */
const WithoutEnglishAnnouncement = styled.div`
  & .react-datepicker__input-container > .react-datepicker__aria-live {
    display: none;
  }
`;

const visuallyHidden: React.CSSProperties = { position: 'absolute', width: '1px', height: '1px', overflow: 'hidden', clip: 'rect(0 0 0 0)', whiteSpace: 'nowrap' };

const DatetimeFilter: React.FC<FilterPropertyProps> = ({ property, filter, onChange }) => {
  const { translateProperty: tp } = useTranslation();
  const [announcement, setAnnouncement] = useState('');
  const t = pageTranslator();
  const withTime = property.type !== 'date';
  const input = dateInputProps(withTime, t);
  const id = `filter-${property.path}`;
  const end = (part: 'from' | 'to') => {
    const key = `${property.path}${PARAM_SEPARATOR}${part}`;
    const choose = (date: string | null) => {
      onChange(key, date ?? '');
      setAnnouncement(date ? chosenDateText(pageLocale().language, date, withTime, t) : '');
    };
    return (
      <>
        <Label id={`${id}-${part}-label`} htmlFor={`${id}-${part}`} mt={part === 'to' ? 'default' : undefined}>{`- ${tp(part)}:`}</Label>
        <WithoutEnglishAnnouncement>
          <Picker id={`${id}-${part}`} ariaLabelledBy={`${id}-label ${id}-${part}-label`} value={filter[key]} onChange={choose} propertyType={property.type} {...input} />
        </WithoutEnglishAnnouncement>
      </>
    );
  };
  return (
    <FormGroup variant="filter">
      <PropertyLabel property={property} filter props={{ id: `${id}-label`, htmlFor: `${id}-from` }} />
      {end('from')}
      {end('to')}
      <span role="status" style={visuallyHidden}>{announcement}</span>
    </FormGroup>
  );
};

export default DatetimeFilter;
