import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.data/', '.adminjs/', 'admin/bundle/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': ['error', { allow: ['error'] }],
    },
  },
  {
    files: ['test/**', 'seeds/**', 'admin/build-bundle.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    // Runs in Node before anything is compiled (npm start's pre-step), and says what it does on the console.
    files: ['src/build-state.mjs'],
    languageOptions: { globals: { console: 'readonly', process: 'readonly' } },
    rules: { 'no-console': 'off' },
  },
  {
    // Module hooks, run by Node in its loader thread.
    files: ['admin/adminjs-load-hooks.mjs'],
    languageOptions: { globals: { URL: 'readonly' } },
  },
  {
    files: ['portal-views/static/**/*.js'],
    languageOptions: { globals: { document: 'readonly', HTMLElement: 'readonly', HTMLInputElement: 'readonly' } },
  },
);
