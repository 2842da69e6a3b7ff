import { SWEDISH, axeRuns } from '../helpers/admin-axe.js';

/** As admin-accessibility.test.ts, in Swedish at 1440 px. */
axeRuns(SWEDISH, 1440, ['federation']);
