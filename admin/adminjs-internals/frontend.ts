/**
 * The parts of AdminJS 7.8's front end that our component overrides (admin/components) rely on and
 * that are not its documented extension points. Every component imports them from here, never from
 * 'adminjs' directly, so that an upgrade of AdminJS is checked in one place:
 * test/unit/adminjs-internals.test.ts reads AdminJS's own declarations for each of them (and
 * `npm run typecheck` checks the props our overrides take), and test/browser/admin-keyboard.test.ts
 * checks in the browser that they are there and behave so. styled.ts is the other file here.
 *
 * In the browser, 'adminjs' is not a module but the global `window.AdminJS` (the component bundle
 * leaves it out and reads the global): a name missing there is `undefined` at run time, not a build
 * error, hence the browser check.
 */
export {
  // Hooks: the navigation's groups and links, the filter drawer's open state, the list's filters.
  useNavigationResources,
  useFilterDrawer,
  useQueryParams,
  useTranslation,
  useActionResponseHandler,
  useModal,
  // The same click handling AdminJS's own buttons have (SPA navigation, API calls, notices).
  buildActionClickHandler,
  callActionApi,
  actionHref,
  // AdminJS's own renderer of a property's value (list cells, filter fields).
  BasePropertyComponent,
  // A list's column header with its sort link (records-table-header.tsx draws the row around them).
  PropertyHeader,
  Breadcrumbs,
  ViewHelpers,
  ApiClient,
} from 'adminjs';
export type {
  ActionHeaderProps,
  ActionJSON,
  ActionProps,
  BreadcrumbProps,
  FilterProps,
  RecordInListProps,
  RecordsTableHeaderProps,
  RecordJSON,
  ResourceJSON,
  SidebarResourceSectionProps,
} from 'adminjs';

export { OVERRIDDEN, SELECT_CONTROL, SIDEBAR_FIXED_FROM, TOPBAR_MENU_BOX } from './names.js';

/** Redux's state where AdminJS keeps its site name (`branding.companyName`), for page titles. */
export interface BrandingState {
  branding: { companyName?: string };
}
