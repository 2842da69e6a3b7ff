import { Box, Button, FormGroup, H1, Input, Label, MessageBox, Text } from '@adminjs/design-system';
import { useTranslation } from 'adminjs';
import React from 'react';
import { useSelector } from 'react-redux';
import LanguageLinks from './language-links.js';

/**
 * The back-office login, in place of AdminJS's (adminjs/src/frontend/components/login). AdminJS's
 * form has labels tied to no input, autocomplete="new-password" on the password (password managers
 * then offer to make up a new one) and no way back in for a staff member who forgot the password.
 * This one keeps its look and texts and adds what is missing: labelled fields with the right
 * autocomplete, one <main> and <h1>, the error read out at once, «Unohditko salasanan?» and the
 * language choice (a staff member new to the back-office need not read Finnish to log in).
 */
type LoginState = { action: string; errorMessage?: string };
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
        <LanguageLinks label={translateComponent('Login.languages')} style={{ marginTop: '24px' }} />
      </Box>
    </Box>
  );
};

export default Login;
