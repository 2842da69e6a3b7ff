import { FINNISH, axeRuns } from '../helpers/admin-axe.js';

/** As admin-accessibility.test.ts, at 1440 px: the sidebar always on screen, the ☰ button gone. */
axeRuns(FINNISH, 1440, ['federation']);
