import type { ParsedMail } from 'mailparser';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';
import { onFileEnd } from './cleanup.js';
import { linksIn } from './portal.js';

/**
 * Debian's Chromium driven by playwright-core, one browser per test file, closed when the file's
 * tests end. Tests make their own contexts (one per language, say) and reuse their pages.
 */
export async function launchBrowser(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  onFileEnd(() => browser.close());
  return browser;
}

const AXE_SCRIPT = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** The WCAG 2.0, 2.1 and 2.2 level A and AA rules of axe-core. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/**
 * axe-core's violations on the page as it is now, one readable line per failing element:
 * `rule-id [selector] help text (impact)`. Empty when there are none.
 * addScriptTag inlines the script, so the page's CSP must be bypassed (context option bypassCSP).
 */
export async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE_SCRIPT });
  return page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: typeof import('axe-core') }).axe;
    // Only violations are read: axe then skips detailing what passed, which is most of its time.
    const results = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return results.violations.flatMap((violation) =>
      violation.nodes.map((node) => `${violation.id} [${node.target.join(' ')}] ${violation.help} (${violation.impact ?? 'no impact given'})`),
    );
  }, WCAG_TAGS);
}

/**
 * The first «PALAUTA SALASANA» link in a mail's plain-text part; with `after`, the first link that
 * comes after that text (a mail to a shared address lists each member, number first, then the link).
 */
export function setPasswordLink(mail: ParsedMail, after?: string): string {
  const text = mail.text ?? '';
  const start = after === undefined ? 0 : text.indexOf(after);
  if (start < 0) throw new Error(`the mail does not mention ${after}:\n${text}`);
  const [link] = linksIn(text.slice(start));
  if (!link) throw new Error(`no set-password link${after === undefined ? '' : ` after ${after}`} in the mail:\n${text}`);
  return link;
}

/** A link from a mail (made with PUBLIC_URL) pointed at the app under test instead. */
export function onPortal(link: string, base: string): string {
  const url = new URL(link);
  return `${base}${url.pathname}${url.search}`;
}

/** How the element that has focus shows it: what the keyboard tests assert is visible and readable. */
export interface FocusStyle {
  element: string;
  outlineStyle: string;
  outlineWidth: string;
  boxShadow: string;
  /** Text colour against the background behind it (WCAG contrast ratio); null for a control without text (a checkbox). */
  textContrast: number | null;
  color: string;
  background: string;
}

export async function focusStyle(page: Page): Promise<FocusStyle | undefined> {
  // No named functions in here: tsx would wrap them in a helper the page does not have.
  const raw = await page.evaluate(() => {
    const element = document.activeElement;
    if (!element || element === document.body) return undefined;
    const style = getComputedStyle(element);
    // The background actually behind the text: the nearest one that is not transparent.
    let background = 'rgb(255, 255, 255)';
    for (let node: Element | null = element; node; node = node.parentElement) {
      const value = getComputedStyle(node).backgroundColor;
      if (value !== 'transparent' && !/^rgba\(.*,\s*0\)$/.test(value)) {
        background = value;
        break;
      }
    }
    return {
      element: `${element.tagName.toLowerCase()} ${element.id ? `#${element.id}` : `"${(element.textContent ?? '').trim().slice(0, 40)}"`}`,
      hasText: !(element instanceof HTMLInputElement && ['checkbox', 'radio'].includes(element.type)),
      outlineStyle: style.outlineStyle,
      outlineWidth: style.outlineWidth,
      boxShadow: style.boxShadow,
      color: style.color,
      background,
    };
  });
  if (!raw) return undefined;
  const { hasText, ...style } = raw;
  return { ...style, textContrast: hasText ? contrastRatio(style.color, style.background) : null };
}

/** WCAG 2 contrast ratio of two CSS rgb()/rgba() colours, rounded to two decimals. */
export function contrastRatio(first: string, second: string): number {
  const luminance = (color: string) => {
    const [r = 0, g = 0, b = 0] = (color.match(/[\d.]+/g) ?? []).slice(0, 3).map((value) => {
      const c = Number(value) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [light, dark] = [luminance(first), luminance(second)].sort((a, b) => b - a) as [number, number];
  return Math.round(((light + 0.05) / (dark + 0.05)) * 100) / 100;
}

/** An outline that is drawn, or a box shadow. */
export function focusIsVisible(style: FocusStyle): boolean {
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  return outline || (style.boxShadow !== '' && style.boxShadow !== 'none');
}

/**
 * The back-office login as staff do it: address, password, Enter. Resolves on the dashboard, or, with
 * `{ dashboard: false }`, as soon as the form is sent (a second factor's page comes next).
 */
export async function signInAsStaff(page: Page, base: string, account: readonly [string, string], { dashboard = true } = {}): Promise<void> {
  await page.goto(`${base}/admin/login`);
  await page.locator('input[name="email"]').fill(account[0]);
  await page.locator('input[name="password"]').fill(account[1]);
  await page.locator('input[name="password"]').press('Enter');
  if (dashboard) await page.waitForURL(`${base}/admin`);
}

/** Requests in flight per page, and when the last one started or ended (networkQuiet). */
const traffic = new WeakMap<Page, { inFlight: number; lastChange: number }>();

/** Starts counting the page's requests (networkQuiet): call it when the page is made, before it loads anything. */
export function watchTraffic(page: Page): void {
  trafficOf(page);
}

function trafficOf(page: Page) {
  let state = traffic.get(page);
  if (!state) {
    const counted = { inFlight: 0, lastChange: Date.now() };
    const change = (delta: number) => () => {
      counted.inFlight = Math.max(0, counted.inFlight + delta);
      counted.lastChange = Date.now();
    };
    page.on('request', change(1));
    page.on('requestfinished', change(-1));
    page.on('requestfailed', change(-1));
    traffic.set(page, counted);
    state = counted;
  }
  return state;
}

/**
 * Resolves once the page has had no request in flight for `quietMs` (at most `timeoutMs`). Playwright's
 * 'networkidle' waits for 500 ms of quiet after every step; a page that answers its own requests on
 * loopback is quiet much sooner, and axe runs over dozens of states add that wait up. The first call
 * starts counting if watchTraffic has not (a request already in flight then is not seen).
 */
export async function networkQuiet(page: Page, quietMs = 200, timeoutMs = 10_000): Promise<void> {
  const state = trafficOf(page);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const quietFor = Date.now() - state.lastChange;
    if (state.inFlight === 0 && quietFor >= quietMs) return;
    await new Promise((resolve) => setTimeout(resolve, state.inFlight === 0 ? quietMs - quietFor : 25));
  }
}
