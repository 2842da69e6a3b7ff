import { ENGLISH, axeRuns } from '../helpers/admin-axe.js';

/** As admin-accessibility.test.ts, as association staff, in English at 1280 and 1440 px (a file of its own: see axeRuns). */
axeRuns(ENGLISH, [1280, 1440], ['association']);
