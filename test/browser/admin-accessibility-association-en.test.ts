import { ENGLISH, axeRuns } from '../helpers/admin-axe.js';

/**
 * As admin-accessibility.test.ts, as association staff, in English at 1280 px (a file of its own: see
 * axeRuns). Their pages differ from the federation's only in the records they hold and one list fewer:
 * the 1440 px layout (the sidebar always on screen) is checked by the federation's run at that width.
 */
axeRuns(ENGLISH, 1280, ['association']);
