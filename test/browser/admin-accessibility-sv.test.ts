import { SWEDISH, axeRuns } from '../helpers/admin-axe.js';

/** As admin-accessibility.test.ts, in Swedish at 1280 px. */
axeRuns(SWEDISH, 1280);
