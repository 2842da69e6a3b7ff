/**
 * Names and selectors of AdminJS's internals that our overrides use, without importing AdminJS (so
 * that tests and server code can read them): see frontend.ts.
 */
/** The names the overrides are registered under (componentLoader.override, admin/components/loader.ts). */
export const OVERRIDDEN = ['Sidebar', 'SidebarResourceSection', 'TopBar', 'LoggedIn', 'ActionHeader', 'Breadcrumbs', 'RecordInList', 'FilterDrawer', 'ResourceRoute', 'RouteWrapper', 'DashboardRoute', 'DefaultNewAction', 'DefaultEditAction', 'RecordsTableHeader', 'Application'] as const;

/**
 * AdminJS's TopBar draws its ☰ as a <div> with a click handler (no button, not focusable), as its
 * first child. TopBar's other parts (the language menu) are not exported, so it is not rewritten:
 * top-bar.tsx hides this one <div> and puts a real button in its place.
 */
export const TOPBAR_MENU_BOX = '[data-css="topbar"] > :first-child';

/**
 * AdminJS's TopBar draws its language menu (not overridable by name) as the element just before the
 * LoggedIn part (overridable, ours: logged-in.tsx, whose root says data-css="logged-in"); ours has
 * the languages as links, so this menu is hidden.
 */
export const TOPBAR_LANGUAGE_MENU = '[data-css="topbar"] > :has(+ [data-css="logged-in"])';

/** react-select's visible box, in AdminJS's Select: its input is a few pixels wide, the box shows focus. */
export const SELECT_CONTROL = ".adminjs_Select [class$='-control']";

/** Below this width AdminJS's sidebar is off screen until ☰ opens it (the theme's breakpoints[3]). */
export const SIDEBAR_FIXED_FROM = '1324px';
