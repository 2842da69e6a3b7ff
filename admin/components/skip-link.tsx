import { styled } from '@adminjs/design-system/styled-components';
import React from 'react';
import { useTranslation } from '../adminjs-internals/frontend.js';
import { themed } from '../adminjs-internals/styled.js';
import { MAIN_ID } from './element-ids.js';

/**
 * «Siirry pääsisältöön» / «Hoppa till huvudinnehållet» / «Skip to main content»: the first Tab stop
 * of every back-office page, before the sidebar and the top bar (application.tsx draws it first),
 * shown when it has focus (WCAG 2.4.1). Following it moves focus to the page's <main>
 * (main-landmark.tsx), which a screen reader then reads from its start; the link's #fragment stays
 * out of the address, which AdminJS's router owns.
 */
const SkipLink: React.FC = () => {
  const { translateLabel } = useTranslation();
  const skip = (event: React.MouseEvent<HTMLAnchorElement>) => {
    const main = document.getElementById(MAIN_ID) ?? document.querySelector<HTMLElement>('main');
    if (!main) return;
    event.preventDefault();
    if (!main.hasAttribute('tabindex')) main.setAttribute('tabindex', '-1');
    main.focus();
  };
  return <Link href={`#${MAIN_ID}`} onClick={skip} data-css="skip-link">{translateLabel('skipToMain')}</Link>;
};

/** Off screen until focused; then at the top left, over the page, in the theme's colours (7:1). */
const Link = styled.a`
  position: absolute;
  left: -10000px;
  top: 8px;
  z-index: 3000;
  padding: 12px 16px;
  background: ${themed((theme) => theme.colors.white)};
  color: ${themed((theme) => theme.colors.primary100)};
  border: 2px solid ${themed((theme) => theme.colors.primary100)};
  border-radius: 4px;
  font-weight: bold;
  text-decoration: underline;
  &:focus { left: 8px; }
`;

export default SkipLink;
