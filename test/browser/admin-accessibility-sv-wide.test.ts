import { SWEDISH, axeRuns } from '../helpers/admin-axe.js';

/** As admin-accessibility-wide.test.ts, in Swedish: every page at 1440 px. */
axeRuns(SWEDISH, 1440, ['federation'], { overlays: false });
