import React from 'react';
import { SELECT_CONTROL, TOPBAR_MENU_BOX } from '../adminjs-internals/frontend.js';
import { useTheme } from '../adminjs-internals/styled.js';

/**
 * One visible focus for every control of the back-office, rendered once by top-bar.tsx (on every page).
 * AdminJS's own focus is barely visible: buttons change only their background colour, inputs a 1 px
 * border, links and react-select nothing. A 3 px outline in the theme's primary colour (7:1 on white,
 * 4.9:1 on the grey page) is drawn around whatever has keyboard focus. `!important`, because AdminJS's
 * styled components set `outline: 0` with more specific selectors. A checkbox is a 1 × 1 px input
 * under a drawn box: the box shows its focus. react-select's input is a few pixels wide: its control
 * (the visible box) shows the focus as well.
 *
 * The date picker's weekday names (light grey) and its keyboard-highlighted day (white on light blue)
 * fail WCAG AA text contrast: the names get the theme's darkest grey, the highlighted day white on the
 * primary colour (as the chosen day already is).
 *
 * A required field's label starts with an asterisk drawn by CSS, which a screen reader would read as
 * part of the field's name («tähti Jäsennumero»): the asterisk stays on screen with empty alternative
 * text, since the input itself says it is required.
 *
 * A plain <style>: styled-components' createGlobalStyle, as AdminJS ships it to the browser, never
 * adds its rules to the page (its browser-side effect is left out of that build).
 */
const FocusStyles: React.FC = () => {
  const theme = useTheme();
  const focus = `3px solid ${theme.colors.primary100}`;
  return (
    <style>{`
      :focus-visible { outline: ${focus} !important; outline-offset: 2px !important; }
      input[type='checkbox']:focus-visible + *, input[type='radio']:focus-visible + * { outline: ${focus}; outline-offset: 2px; }
      ${SELECT_CONTROL}:focus-within { outline: ${focus}; outline-offset: 2px; }
      ${TOPBAR_MENU_BOX} { visibility: hidden; }
      label[required]::before { content: '*' / ''; }
      .react-datepicker__day-name { color: ${theme.colors.grey100} !important; }
      .react-datepicker__day--keyboard-selected:not(.react-datepicker__day--selected) { background: ${theme.colors.primary100} !important; color: ${theme.colors.white} !important; }
    `}</style>
  );
};

export default FocusStyles;
