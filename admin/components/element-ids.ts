/** Ids that tie one override's control to another's region (aria-controls, focus moves). */
export const NAVIGATION_ID = 'admin-navigation';
export const FILTERS_ID = 'admin-filters';
/** The page's <main> (main-landmark.tsx), where the skip link (skip-link.tsx) moves focus. */
export const MAIN_ID = 'admin-main';
