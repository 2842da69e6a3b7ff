import { ENGLISH, axeRuns } from '../helpers/admin-axe.js';

/** As admin-accessibility.test.ts, in English at 1440 px. */
axeRuns(ENGLISH, 1440, ['federation']);
