import type { Theme } from '@adminjs/design-system';
import * as styledComponents from '@adminjs/design-system/styled-components';

/**
 * AdminJS's styled-components, as its browser bundle ships them (the global `styled`; checked by
 * test/browser/admin-keyboard.test.ts), typed for our use: the package has no type declarations here,
 * so a styled rule's `theme` would be `any`. `themed(pick)` reads one value of the theme AdminJS
 * renders with (its defaults and our branding.theme, admin/index.ts). Not used: createGlobalStyle,
 * whose rules that build never adds to the page (focus-styles.tsx renders a <style> instead).
 */
export const themed = (pick: (theme: Theme) => string | number) => ({ theme }: { theme: Theme }) => pick(theme);

/** The theme AdminJS renders with, in a component (styled-components' useTheme). */
export const useTheme = (styledComponents as unknown as { useTheme: () => Theme }).useTheme;
