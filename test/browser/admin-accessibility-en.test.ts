import { ENGLISH, axeRuns } from '../helpers/admin-axe.js';

/** As admin-accessibility.test.ts, in English at 1280 px. */
axeRuns(ENGLISH, 1280);
