import type { Locator, Page } from 'playwright-core';

/** What a Tab stop looked like: the element, and whether its focus could be seen and was on screen. */
export interface TabStop {
  element: string;
  onScreen: boolean;
  /** Its outline and box shadow while focused, and after focus left it (null until then). */
  focused: string;
  unfocused: string | null;
}

/**
 * The focused element's outline and box shadow, once the page's transitions have ended (AdminJS's
 * buttons animate every property, the outline too; the sidebar and the filters slide in), and whether it lies wholly inside the window. A
 * visually hidden input (AdminJS's checkboxes: 1 × 1 px under a drawn box) is judged by the box drawn
 * for it, its next sibling, since that is what a sighted keyboard user looks at.
 */
async function readFocus(page: Page): Promise<{ element: string; onScreen: boolean; style: string } | null> {
  // Transitions still running (a sidebar or drawer sliding in) end first; endless ones (a spinner) are not waited for.
  await page.evaluate(() => Promise.all(document.getAnimations().filter((a) => a.effect?.getComputedTiming().endTime !== Infinity).map((a) => a.finished.catch(() => undefined))));
  return page.evaluate(() => {
    const active = document.activeElement as HTMLElement | null;
    if (!active || active === document.body) return null;
    const size = active.getBoundingClientRect();
    const shown = size.width < 4 && size.height < 4 && active.nextElementSibling instanceof HTMLElement ? active.nextElementSibling : active;
    const box = shown.getBoundingClientRect();
    const style = getComputedStyle(shown);
    const label = (active.getAttribute('aria-label') ?? active.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 50);
    // Marked so that its unfocused look can be read at the next stop.
    document.querySelectorAll('[data-tab-stop]').forEach((element) => element.removeAttribute('data-tab-stop'));
    shown.setAttribute('data-tab-stop', '');
    return {
      element: `${active.tagName.toLowerCase()} «${label}»`,
      onScreen: box.width > 0 && box.height > 0 && box.left >= 0 && box.top >= 0 && box.right <= innerWidth + 1 && box.bottom <= innerHeight + 1 && shown.checkVisibility({ visibilityProperty: true }),
      style: `outline: ${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}; box-shadow: ${style.boxShadow}`,
    };
  });
}

/** The previous stop's look now that focus has left it. */
async function readUnfocused(page: Page): Promise<string | null> {
  await page.waitForTimeout(0);
  return page.evaluate(async () => {
    const shown = document.querySelector<HTMLElement>('[data-tab-stop]');
    if (!shown) return null;
    await Promise.all(shown.getAnimations().map((a) => a.finished));
    const style = getComputedStyle(shown);
    return `outline: ${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}; box-shadow: ${style.boxShadow}`;
  });
}

/**
 * Keyboard use with every Tab stop recorded, for the assertion that each was visible and on screen
 * (`problems()`). Only the keyboard moves focus: the pages are used by Tab, Shift+Tab, Enter, Space,
 * Esc and typing.
 */
export class Keyboard {
  readonly stops: TabStop[] = [];

  constructor(readonly page: Page) {}

  /** Presses Tab (or Shift+Tab) once and records where focus landed. */
  async tab(backwards = false): Promise<void> {
    await this.page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
    const previous = this.stops.at(-1);
    if (previous && previous.unfocused === null) previous.unfocused = await readUnfocused(this.page);
    const now = await readFocus(this.page);
    if (now) this.stops.push({ element: now.element, onScreen: now.onScreen, focused: now.style, unfocused: null });
  }

  /** Tabs until the target has focus (at most `limit` presses); fails naming where focus went instead. */
  async tabTo(target: Locator, limit = 60): Promise<void> {
    for (let i = 0; i < limit; i++) {
      await this.tab();
      if (await target.evaluate((element) => element === document.activeElement).catch(() => false)) return;
    }
    throw new Error(`${limit} Tab presses never reached ${target}; the last stops: ${this.stops.slice(-8).map((s) => s.element).join(', ')}`);
  }

  async press(key: string): Promise<void> {
    await this.page.keyboard.press(key);
  }

  async type(text: string): Promise<void> {
    await this.page.keyboard.type(text);
  }

  /** Whether the target has focus now. */
  async has(target: Locator): Promise<boolean> {
    return target.evaluate((element) => element === document.activeElement);
  }

  /** Every stop whose focus could not be seen (no change of outline or shadow) or that was off screen. */
  problems(): string[] {
    return this.stops.flatMap((stop) => [
      ...(stop.onScreen ? [] : [`${stop.element}: off screen or hidden`]),
      ...(stop.unfocused !== null && stop.unfocused === stop.focused ? [`${stop.element}: focus not visible (${stop.focused})`] : []),
    ]);
  }
}
