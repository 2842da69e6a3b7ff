import { Box, Text } from '@adminjs/design-system';
import React from 'react';
import { useTranslation } from '../adminjs-internals/frontend.js';
import { TOPBAR_LANGUAGE_MENU } from '../adminjs-internals/names.js';
import LanguageLinks from './language-links.js';

type Props = { session: { email: string; title?: string }; paths: { logoutPath: string } };

/**
 * The right end of the top bar (componentLoader.override('LoggedIn')): who is logged in, the
 * languages and «Kirjaudu ulos», as plain links. AdminJS's versions are menus that open on mouse
 * hover only: a keyboard user could neither log out nor change the language. A language link is the
 * same page with ?lang=xx, which the language middleware keeps in the `kieli` cookie (the choice
 * lasts across reloads and logins); «Kirjaudu ulos» leads to the page whose button logs out by POST.
 * AdminJS's own language menu, drawn by its TopBar just before this, is hidden (TOPBAR_LANGUAGE_MENU).
 */
const LoggedIn: React.FC<Props> = ({ session, paths }) => {
  const { translateButton, translateComponent } = useTranslation();
  return (
    <Box flex flexShrink={0} alignItems="center" flexWrap="wrap" px="lg" style={{ gap: '16px' }} data-css="logged-in">
      <style>{`${TOPBAR_LANGUAGE_MENU} { display: none; }`}</style>
      <LanguageLinks label={translateComponent('Login.languages')} />
      <Text as="span">{session.title ? `${session.title} (${session.email})` : session.email}</Text>
      <a href={paths.logoutPath} style={{ display: 'inline-block', minHeight: '24px', padding: '2px 0' }}>{translateButton('logout')}</a>
    </Box>
  );
};

export default LoggedIn;
