import assert from 'node:assert/strict';
import { before, beforeEach, describe, test } from 'node:test';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { axeViolations, launchBrowser, setPasswordLink } from '../helpers/browser.js';
import { startPortal, type Portal } from '../helpers/portal.js';
import { WebClient } from '../helpers/web-client.js';

/**
 * Every page and error state of the member portal, in Finnish, Swedish and English:
 *  - axe-core finds no WCAG 2.0/2.1/2.2 A or AA violation (at 1280 × 800);
 *  - at 320 × 256 CSS px (1280 × 1024 at 400 % zoom) nothing scrolls sideways.
 * Plus the language switch in the footer, and one walk through every page with the CSP in force
 * (the axe runs bypass it, because axe is injected as an inline script).
 */
let portal: Portal;
let browser: Browser;
before(async () => {
  portal = await startPortal();
  browser = await launchBrowser();
});
beforeEach(async () => {
  await portal.deliverMail(); // what an earlier test left queued (password-changed notices)
  portal.smtp.clear();
  await portal.db('rate_limits').delete();
});

const WIDE = { width: 1280, height: 800 };
const NARROW = { width: 320, height: 256 };

async function newContext(options: { bypassCSP: boolean }): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: WIDE, bypassCSP: options.bypassCSP });
  context.setDefaultTimeout(10_000);
  return context;
}

/** Clicks something that loads a new page, and waits until that page has loaded. */
async function clickAndLoad(page: Page, target: Locator): Promise<void> {
  const loaded = page.waitForEvent('load');
  await target.click();
  await loaded;
}

async function goto(page: Page, path: string): Promise<void> {
  await page.goto(`${portal.base}${path}`);
}

/** Orders a link for the shared address (outside the browser: it is only setup) and returns the path of Maija's link. */
async function freshLinkPath(): Promise<string> {
  await portal.deliverMail();
  portal.smtp.clear();
  await portal.db('rate_limits').delete(); // at most 5 link mails an hour per member
  const client = new WebClient(portal.base);
  await client.get('/tilaa-salasana');
  await client.post('/tilaa-salasana', { email: 'maija.meikalainen@example.fi' });
  assert.equal(await portal.deliverMail(), 1);
  const [mail] = await portal.smtp.waitFor(1);
  return new URL(setPasswordLink(mail!, 'Jäsennumero: 100001')).pathname;
}

const submitButton = (page: Page) => page.locator('main form button[type="submit"]').first();

async function order(page: Page, email: string): Promise<void> {
  await goto(page, '/tilaa-salasana');
  await page.locator('#email').fill(email);
  await clickAndLoad(page, submitButton(page));
}

async function login(page: Page, memberNumber: string, password: string): Promise<void> {
  await goto(page, '/kirjaudu');
  if (new URL(page.url()).pathname === '/omat-tiedot') return; // logged in already
  await page.locator('#member-number').fill(memberNumber);
  await page.locator('#password').fill(password);
  await clickAndLoad(page, submitButton(page));
}

async function setPassword(page: Page, password: string): Promise<void> {
  await goto(page, await freshLinkPath());
  await page.locator('#password').fill(password);
  await clickAndLoad(page, submitButton(page));
}

interface PageState {
  name: string;
  /** Gets the page into this state, in whatever language the context uses; asserts it got there. */
  reach(page: Page): Promise<void>;
  /** The path the page is at once there. */
  path: RegExp;
}

const STATES: PageState[] = [
  { name: 'front page', path: /^\/$/, reach: (page) => goto(page, '/') },
  { name: 'login', path: /^\/kirjaudu$/, reach: (page) => goto(page, '/kirjaudu') },
  {
    name: 'login, submitted empty',
    path: /^\/kirjaudu$/,
    reach: async (page) => {
      await goto(page, '/kirjaudu');
      await clickAndLoad(page, submitButton(page));
      assert.equal(await page.locator('.error-message').count(), 2);
    },
  },
  {
    name: 'login, wrong password',
    path: /^\/kirjaudu$/,
    reach: async (page) => {
      await login(page, '200001', 'Väärä salasana 123');
      assert.equal(await page.locator('.error-message').count(), 1);
    },
  },
  { name: 'order form', path: /^\/tilaa-salasana$/, reach: (page) => goto(page, '/tilaa-salasana') },
  {
    name: 'order form, invalid email',
    path: /^\/tilaa-salasana$/,
    reach: async (page) => {
      await order(page, 'maija@');
      assert.equal(await page.locator('#email[aria-invalid="true"]').count(), 1);
    },
  },
  {
    name: '«Käyttäjää ei löydy» (user not found)',
    path: /^\/tilaa-salasana$/,
    reach: async (page) => {
      await order(page, 'ei.ole@example.fi');
      assert.equal(await page.locator('.notice--warning h1').count(), 1);
    },
  },
  {
    name: 'order sent',
    path: /^\/tilaa-salasana$/,
    reach: async (page) => {
      await order(page, 'liisa.esimerkki@example.fi');
      assert.equal(await page.locator('.notice--success').count(), 1);
    },
  },
  {
    name: 'PALAUTA SALASANA (a valid link)',
    path: /^\/palauta-salasana\/[\w-]{43}$/,
    reach: async (page) => {
      await goto(page, await freshLinkPath());
      assert.equal(await page.locator('#member-number').inputValue(), '100001');
    },
  },
  {
    name: 'PALAUTA SALASANA, password too short',
    path: /^\/palauta-salasana\/[\w-]{43}$/,
    reach: async (page) => {
      await setPassword(page, 'lyhyt');
      assert.equal(await page.locator('#password[aria-invalid="true"]').count(), 1);
    },
  },
  {
    name: 'password changed',
    path: /^\/palauta-salasana\/[\w-]{43}$/,
    reach: async (page) => {
      await setPassword(page, 'Maijan uusi salasana 2026');
      assert.equal(await page.locator('.notice--success h1').count(), 1);
    },
  },
  {
    name: 'expired link',
    path: /^\/palauta-salasana\/[\w-]{43}$/,
    reach: async (page) => {
      const path = await freshLinkPath();
      await portal.db('set_password_links').update({ expires_at: portal.db.raw("now() - interval '1 minute'") });
      const response = await page.goto(`${portal.base}${path}`);
      assert.equal(response?.status(), 410);
    },
  },
  {
    name: 'used link',
    path: /^\/palauta-salasana\/[\w-]{43}$/,
    reach: async (page) => {
      const path = await freshLinkPath();
      const client = new WebClient(portal.base);
      await client.get(path);
      assert.equal((await client.post(path, { password: 'Maijan uusi salasana 2027' })).status, 200);
      const response = await page.goto(`${portal.base}${path}`);
      assert.equal(response?.status(), 410);
    },
  },
  {
    name: 'unknown link',
    path: /^\/palauta-salasana\/x{43}$/,
    reach: async (page) => {
      const response = await page.goto(`${portal.base}/palauta-salasana/${'x'.repeat(43)}`);
      assert.equal(response?.status(), 404);
    },
  },
  { name: 'accessibility statement', path: /^\/saavutettavuusseloste$/, reach: (page) => goto(page, '/saavutettavuusseloste') },
  {
    name: 'page not found (404)',
    path: /^\/ei-tallaista-sivua$/,
    reach: async (page) => {
      const response = await page.goto(`${portal.base}/ei-tallaista-sivua`);
      assert.equal(response?.status(), 404);
    },
  },
  {
    name: 'account page (Omat tiedot)',
    path: /^\/omat-tiedot$/,
    reach: (page) => login(page, '200001', 'Liisan-salasana-2026'),
  },
  {
    name: 'logged out',
    path: /^\/kirjaudu-ulos$/,
    reach: async (page) => {
      await login(page, '200001', 'Liisan-salasana-2026');
      await clickAndLoad(page, page.locator('main form[action="/kirjaudu-ulos"] button'));
    },
  },
];

const LANGUAGES = [
  { code: 'fi', name: 'Suomi', in: 'in Finnish' },
  { code: 'sv', name: 'Svenska', in: 'in Swedish' },
  { code: 'en', name: 'English', in: 'in English' },
] as const;

const htmlLang = (page: Page) => page.locator('html').getAttribute('lang');

/** Clicks a language in the footer; asserts the page stays (same path) and html[lang] changes. */
async function switchLanguage(page: Page, name: string, code: string): Promise<void> {
  const pathBefore = new URL(page.url()).pathname;
  const langBefore = await htmlLang(page);
  assert.notEqual(langBefore, code);
  await clickAndLoad(page, page.getByRole('contentinfo').getByRole('navigation').getByRole('link', { name, exact: true }));
  assert.equal(new URL(page.url()).pathname, pathBefore, 'the switch keeps you on the same page');
  assert.equal(new URL(page.url()).search, '', 'and at the clean address');
  assert.equal(await htmlLang(page), code);
}

for (const language of LANGUAGES) {
  describe(`every page ${language.in}`, () => {
    let context: BrowserContext;
    let page: Page;
    before(async () => {
      context = await newContext({ bypassCSP: true });
      page = await context.newPage();
    });

    if (language.code === 'fi') {
      test('Finnish is the default, and «Suomi» in the footer switches back to it on the same page', async () => {
        await goto(page, '/tilaa-salasana');
        assert.equal(await htmlLang(page), 'fi');
        await switchLanguage(page, 'English', 'en');
        await switchLanguage(page, 'Suomi', 'fi');
      });
    } else if (language.code === 'sv') {
      test('«Svenska» in the footer switches the order form to Swedish, on the same page', async () => {
        await goto(page, '/tilaa-salasana');
        await switchLanguage(page, 'Svenska', 'sv');
        assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'BESTÄLL ETT NYTT LÖSENORD');
      });
    } else {
      test('«English» in the footer switches the PALAUTA SALASANA page to English, on the same page (the link still works)', async () => {
        await goto(page, await freshLinkPath());
        await switchLanguage(page, 'English', 'en');
        assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'RESET PASSWORD');
        assert.equal(await page.locator('#member-number').inputValue(), '100001');
      });
    }

    for (const state of STATES) {
      test(`${state.name}, ${language.in}`, async (t) => {
        await state.reach(page);
        assert.match(new URL(page.url()).pathname, state.path);
        assert.equal(await htmlLang(page), language.code);

        await t.test('axe-core: no WCAG 2.2 A/AA violations', async () => {
          assert.deepEqual(await axeViolations(page), []);
        });
        await t.test('320 px wide (400 % zoom): no horizontal scroll', async () => {
          await page.setViewportSize(NARROW);
          try {
            const { scrollWidth, clientWidth } = await page.evaluate(() => ({
              scrollWidth: document.documentElement.scrollWidth,
              clientWidth: document.documentElement.clientWidth,
            }));
            assert.ok(scrollWidth <= clientWidth, `the page is ${scrollWidth} px wide in a ${clientWidth} px window`);
          } finally {
            await page.setViewportSize(WIDE);
          }
        });
      });
    }
  });
}

describe('with the Content Security Policy in force (no bypassCSP)', () => {
  test('every page: each request goes to the app\'s own origin, and no CSP violation is reported', async () => {
    const context = await newContext({ bypassCSP: false });
    const page = await context.newPage();
    const requests: string[] = [];
    const cspReports: string[] = [];
    context.on('request', (request) => requests.push(request.url()));
    page.on('console', (message) => {
      if (/Content[- ]Security[- ]Policy|Refused to/i.test(message.text())) cspReports.push(message.text());
    });
    for (const state of STATES) await state.reach(page);

    const origin = new URL(portal.base).origin;
    assert.ok(requests.some((url) => url === `${origin}/static/portal.js`), 'the recorder saw the page scripts');
    assert.ok(requests.some((url) => url === `${origin}/static/portal.css`), 'and the stylesheet');
    assert.deepEqual(requests.filter((url) => new URL(url).origin !== origin), []);
    assert.deepEqual(cspReports, []);

    // The «Näytä salasana» checkbox is revealed by portal.js: the script ran under the policy.
    await goto(page, await freshLinkPath());
    assert.equal(await page.locator('#show-password').isVisible(), true);

    // And the recorder does catch a violation when there is one: an inline script is refused.
    const reported = page.waitForEvent('console', { predicate: (message) => /Content Security Policy/i.test(message.text()), timeout: 5_000 });
    await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'document.title = "inline"';
      document.head.append(script);
    });
    await reported;
    assert.equal(cspReports.length, 1, 'the inline script was reported');
    assert.notEqual(await page.title(), 'inline');
    await context.close();
  });
});
