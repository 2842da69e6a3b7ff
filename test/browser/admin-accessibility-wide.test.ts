import { FINNISH, axeRuns } from '../helpers/admin-axe.js';

/**
 * As admin-accessibility.test.ts, at 1440 px: the sidebar always on screen, the ☰ button gone. Every
 * page; what opens over a page (dialogs, the select, the date picker) was checked at 1280 px.
 */
axeRuns(FINNISH, 1440, ['federation'], { overlays: false });
