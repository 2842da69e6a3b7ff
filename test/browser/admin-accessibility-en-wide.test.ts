import { ENGLISH, axeRuns } from '../helpers/admin-axe.js';

/** As admin-accessibility-wide.test.ts, in English: every page at 1440 px. */
axeRuns(ENGLISH, 1440, ['federation'], { overlays: false });
