/** Ids that tie one override's control to another's region (aria-controls, focus moves). */
export const NAVIGATION_ID = 'admin-navigation';
export const FILTERS_ID = 'admin-filters';
