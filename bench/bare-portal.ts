import express from 'express';
import { randomBytes } from 'node:crypto';
import { translator } from '../src/i18n/index.js';
import { languageSwitch } from '../src/i18n/language-middleware.js';
import { verifyPassword } from '../src/passwords/hashing.js';
import { addDatabaseLoginFloor } from './bare-login-database.js';
import { renderView, VIEWS_DIR } from '../src/views.js';

/**
 * The pages baseline: a bare Express 5 + EJS server rendering the portal's own templates with the
 * same data (Finnish catalog, language list, a form token), and nothing else: no security headers,
 * sessions, logging or database. The app's cost per page over this is what the app itself adds.
 * Given BARE_LOGIN_HASH it also answers the login form as the login floor: the password checked
 * against that hash (the app's own verifyPassword), then a redirect; nothing else. With
 * BARE_LOGIN_DATABASE=1 and the app's environment, it also answers the login floor with the database
 * (bench/bare-login-database.ts).
 * Started as a process of its own by the bench (`node --import tsx bench/bare-portal.ts <port>`).
 */
const port = Number(process.argv[2]);
const app = express();
app.set('view engine', 'ejs');
app.set('views', VIEWS_DIR);
app.engine('ejs', renderView);
// NODE_ENV=production, as for the app: Express caches compiled views.

const t = translator('fi');
const common = {
  lang: 'fi',
  t,
  languages: languageSwitch('fi'),
  federationName: 'Invalidiliitto',
  memberServicesEmail: 'jasenasiat@invalidiliitto.fi',
  hasErrors: false,
  errors: [],
  errorFor: () => undefined,
  csrfToken: randomBytes(32).toString('hex'),
  member: false,
  devMailbox: false,
};

const pages: Record<string, [string, Record<string, unknown>]> = {
  '/': ['pages/front', {}],
  '/kirjaudu': ['pages/login', { memberNumber: '' }],
  '/tilaa-salasana': ['pages/order', { email: '', state: 'form' }],
};
for (const [route, [view, locals]] of Object.entries(pages)) {
  app.get(route, (req, res) => res.render(view, { ...common, currentPath: req.path, ...locals }));
}
const loginHash = process.env.BARE_LOGIN_HASH;
if (loginHash) {
  app.post('/kirjaudu', express.urlencoded({ extended: false }), async (req, res) => {
    const matches = await verifyPassword(String(req.body?.password ?? ''), loginHash);
    res.redirect(303, matches ? '/omat-tiedot' : '/kirjaudu');
  });
  if (process.env.BARE_LOGIN_DATABASE === '1') addDatabaseLoginFloor(app);
}
app.get('/readyz', (_req, res) => res.json({ status: 'ok' }));
app.listen(port, '127.0.0.1');
