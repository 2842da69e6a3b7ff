import type { After, ListActionResponse } from 'adminjs';

/** Rows on a page of a list (AdminJS's defaultPerPage); bench/search-sql.ts reads the same page directly. */
export const LIST_PAGE_SIZE = 20;

/** The record actions a list row uses: its first column links to the record's page (admin/components/record-in-list.tsx). */
const ROW_ACTIONS = new Set(['show', 'edit']);

/**
 * A list's records without the record actions no row uses. AdminJS sends each record with every
 * action it has, each in full (eighteen keys): a member's five were 1.5 KB of each row's 3.2 KB, a
 * page of twenty 64 KB, built, serialized and sent on every search. The row's link opens the record's
 * page, which loads the record again with all its actions. Bulk actions stay: a row's checkbox and
 * the actions offered for the rows chosen are read from them.
 */
export const leanListAnswer: After<ListActionResponse> = (response) => {
  for (const record of response.records ?? []) record.recordActions = record.recordActions.filter((action) => ROW_ACTIONS.has(action.name));
  return response;
};
