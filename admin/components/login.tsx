import { Box, Button, FormGroup, H1, Input, Label, MessageBox, Text } from '@adminjs/design-system';
import { useTranslation } from 'adminjs';
import React from 'react';
import { useSelector } from 'react-redux';

/**
 * The back-office login, in place of AdminJS's (adminjs/src/frontend/components/login). AdminJS's
 * form has labels tied to no input, autocomplete="new-password" on the password (password managers
 * then offer to make up a new one) and no way back in for a staff member who forgot the password.
 * This one keeps its look and texts and adds what is missing: labelled fields with the right
 * autocomplete, one <main> and <h1>, the error read out at once, «Unohditko salasanan?» and the
 * language choice (a staff member new to the back-office need not read Finnish to log in).
 */
type LoginState = { action: string; errorMessage?: string };
/** Each language named in itself, as a person looking for their own language would look for it. */
const LANGUAGES = [['fi', 'Suomi'], ['sv', 'Svenska'], ['en', 'English']] as const;
type BrandingState = { branding: { companyName: string } };

const Login: React.FC = () => {
  const { action, errorMessage } = (window as unknown as { __APP_STATE__: LoginState }).__APP_STATE__;
  const { translateComponent, translateMessage } = useTranslation();
  const companyName = useSelector((state: BrandingState) => state.branding.companyName);
  // Our handler (admin/auth.ts) sends catalog keys; a message of several words is already text.
  const message = errorMessage && (errorMessage.split(' ').length > 1 ? errorMessage : translateMessage(errorMessage));

  return (
    <Box as="main" flex variant="grey" style={{ alignItems: 'center', justifyContent: 'center', minHeight: '100%' }}>
      <Box bg="white" p="x3" boxShadow="login" width={['100%', '480px']}>
        <Text as="p" mb="default" fontWeight="bold">{companyName}</Text>
        <H1 mb="lg">{translateComponent('Login.welcomeHeader')}</H1>
        <Text mb="xl">{translateComponent('Login.welcomeMessage')}</Text>
        {message ? (
          <div role="alert">
            <MessageBox my="lg" message={message} variant="danger" />
          </div>
        ) : null}
        <form action={action} method="POST">
          <FormGroup>
            <Label htmlFor="login-email" required>{translateComponent('Login.properties.email')}</Label>
            <Input id="login-email" name="email" type="email" autoComplete="username" spellCheck={false} autoCapitalize="none" />
          </FormGroup>
          <FormGroup>
            <Label htmlFor="login-password" required>{translateComponent('Login.properties.password')}</Label>
            <Input id="login-password" name="password" type="password" autoComplete="current-password" />
          </FormGroup>
          <Text mt="xl">
            <Button type="submit" variant="contained">{translateComponent('Login.loginButton')}</Button>
          </Text>
        </form>
        <Text mt="xl">
          <a href="/admin/unohtunut-salasana">{translateComponent('Login.forgotPassword')}</a>
        </Text>
        {/* ?lang= is kept in the `kieli` cookie by the language middleware: the choice lasts past this page. */}
        <nav aria-label={translateComponent('Login.languages')} style={{ marginTop: '24px' }}>
          <ul style={{ display: 'flex', gap: '16px', listStyle: 'none', padding: 0, margin: 0 }}>
            {LANGUAGES.map(([code, name]) => (
              <li key={code}>
                <a href={`?lang=${code}`} lang={code} hrefLang={code} aria-current={document.documentElement.lang === code ? 'true' : undefined} style={{ display: 'inline-block', minHeight: '24px', padding: '2px 0' }}>
                  {name}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      </Box>
    </Box>
  );
};

export default Login;
