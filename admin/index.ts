import express, { Router } from 'express';
import path from 'node:path';
import type { Config } from '../src/config.js';
import type { Db } from '../src/db/connection.js';
import type { Logger } from '../src/logger.js';
import { projectRoot } from '../src/project-root.js';
import type { ServiceDeps } from '../src/services.js';
import { memberActions } from './actions/member-actions.js';
import { letterActions } from './actions/letter-actions.js';
import { caseActions } from './actions/case-actions.js';
import { federationOnly } from './actions/current-staff.js';
import { staffActions } from './actions/staff-actions.js';
import { staffInvitationActions } from './actions/staff-invitation-action.js';
import { adminApiErrors, callsAdminJSCannotTake, translatedNotices, unknownNamesAreNotFound } from './api-answers.js';
import { ADMIN_BUNDLE_DIR, AdminJS, AdminJSExpress, DatabaseMetadata, PostgresSchemaReader, type ResourceOptions } from './adminjs-runtime.js';
import { staffLoginRoutes } from './auth.js';
import { staffRecoveryRoutes } from './staff-recovery.js';
import { leanListAnswer, LIST_PAGE_SIZE } from './list-answer.js';
import { letterRoutes } from './letter-routes.js';
import { adminHeaders, rewriteAdminPages } from './page-headers.js';
import { componentLoader, Components } from './components/loader.js';
import { dashboardHandler } from './dashboard.js';
import { sameOriginOnly } from './origin-check.js';
import { savesLeadingToRecord, savesWithServiceNotice } from './service-notice.js';
import { associationOptions, associationRules } from './resources/associations.js';
import { memberOptions, memberRules } from './resources/members.js';
import { auditOptions, auditRules, caseOptions, caseRules, mailOptions, mailRules } from './resources/read-only.js';
import { staffUserOptions, staffUserRules } from './resources/staff-users.js';
import { ScopedResource, type ScopeRules } from './scoped-resource.js';
import { STAFF_BODY_LIMIT, staffInput } from './staff-input.js';
import { adminLocale, currentStaffLanguage, staffLanguage, staffText } from './staff-language.js';
import { staffAbsoluteTimeout, staffSessionOptions, staffSessions } from './staff-session.js';

const ROOT = '/admin';
/**
 * AdminJS 7.8's default greys fail WCAG AA text contrast (4.5:1): grey60 (#898A9A) is the colour of
 * the breadcrumbs, of the labels on show pages and of outlined badges (3.2:1 on the grey page
 * background), and grey40 (#BBC3CB) is the background of the plain Badge that shows an enum value
 * (white text on it: 1.8:1). Both are darkened just enough, in the same hue: grey60 to 4.9:1 on the
 * page background (4.6:1 on grey20), grey40 to 5.1:1 under white text. grey40 is also a border
 * colour here and there (date pickers, light buttons); those borders simply get more visible.
 */
const ACCESSIBLE_COLORS = { grey60: '#6B6C7B', grey40: '#666F78' };

/**
 * The staff back-office at /admin. AdminJS renders it; every rule it applies comes from services
 * under src/ (scoping, sending links, resolving cases) through ScopedResource and the actions.
 */
export async function createAdminRouter(deps: { config: Config; db: Db; logger: Logger; services: ServiceDeps }): Promise<Router> {
  const { config, db, services } = deps;
  // The tables the back-office shows, each with who may see what of it and how AdminJS shows it.
  const shown: Array<[table: string, rules: ScopeRules, options: ResourceOptions]> = [
    ['members', memberRules, { ...memberOptions, actions: { ...savesLeadingToRecord, ...memberActions(services), ...letterActions(services) } }],
    ['associations', associationRules, { ...associationOptions, actions: federationWrites() }],
    ['not_found_cases', caseRules, { ...caseOptions, actions: { ...caseOptions.actions, ...caseActions(services) } }],
    ['mail_queue', mailRules, mailOptions],
    ['audit_log', auditRules, auditOptions],
    ['staff_users', staffUserRules, { ...staffUserOptions, actions: { ...federationOnlyResource(), ...staffInvitationActions(services), ...staffActions(services) } }],
  ];
  const metadata = await introspect(db, shown.map(([table]) => table));

  const admin = new AdminJS({
    rootPath: ROOT,
    loginPath: `${ROOT}/login`,
    logoutPath: `${ROOT}/logout`,
    componentLoader,
    dashboard: { component: Components.Dashboard, handler: dashboardHandler(services) },
    branding: () => ({
      companyName: `${config.federationName} – ${staffText(currentStaffLanguage(), 'labels.backOffice')}`,
      withMadeWithLove: false,
      logo: false,
      favicon: '/static/favicon.svg',
      theme: { colors: ACCESSIBLE_COLORS },
    }),
    // Functions, so that each page is rendered in the staff member's chosen language (admin/staff-language.ts).
    locale: adminLocale,
    settings: { defaultPerPage: LIST_PAGE_SIZE },
    resources: shown.map(([table, rules, options]) => ({
      resource: new ScopedResource(metadata.table(table), db, rules),
      options: { ...options, actions: { ...options.actions, list: { ...options.actions?.list, after: leanListAnswer } } },
    })),
  });

  const router = Router();
  router.use(adminHeaders);
  router.use(rewriteAdminPages);
  const sessionOptions = staffSessionOptions(config, config.sessionSecret!, db);
  router.use(staffSessions(sessionOptions), staffAbsoluteTimeout);
  router.use(staffLanguage);
  router.use(sameOriginOnly(new URL(config.publicUrl).origin));
  router.use(staffLoginRoutes({ admin, services, config }));
  router.use(staffRecoveryRoutes(services, config));
  // Bodies are read only from here on, for a logged-in staff member; AdminJS's express-formidable finds them parsed.
  router.use(staffInput);
  // «Tulosta aktivointikirje» posts here: a file to download, not an AdminJS action (admin/letter-routes.ts).
  router.use(letterRoutes(services, deps.logger));
  router.use(unknownNamesAreNotFound(admin), callsAdminJSCannotTake);
  router.use(translatedNotices);
  // Our login handler answers POST /login before AdminJS's would; AdminJS's session middleware sees
  // req.session in place and steps aside (given the same options so that it builds no memory store).
  const built = AdminJSExpress.buildAuthenticatedRouter(
    admin,
    { cookiePassword: config.sessionSecret!, cookieName: String(sessionOptions.name), authenticate: async () => null },
    router,
    sessionOptions,
    // Never used (staffInput has parsed every request already); if it ever were, the same limits hold.
    { maxFieldsSize: STAFF_BODY_LIMIT, maxFileSize: 1, maxFields: 100 },
  );
  built.use(adminApiErrors);
  return built;
}

/** Where adminAssets() is mounted: one prefix, so that no other request passes through its layers. */
export const ADMIN_ASSETS_PATH = '/admin-assets';

/** The back-office's own files, served under ADMIN_ASSETS_PATH: the self-hosted font and the pre-built component bundle. */
export function adminAssets(): Router {
  const router = Router();
  router.use('/roboto', express.static(path.join(projectRoot, 'node_modules', '@fontsource', 'roboto'), { maxAge: '7d', fallthrough: false }));
  router.use('/bundle', express.static(ADMIN_BUNDLE_DIR, { maxAge: '1h', fallthrough: false }));
  return router;
}

function federationWrites() {
  return { new: { isAccessible: federationOnly }, edit: { isAccessible: federationOnly }, delete: { isAccessible: federationOnly }, bulkDelete: { isAccessible: federationOnly } };
}

function federationOnlyResource() {
  return {
    list: { isAccessible: federationOnly },
    show: { isAccessible: federationOnly },
    search: { isAccessible: federationOnly },
    new: { ...savesWithServiceNotice.new, isAccessible: federationOnly },
    edit: { ...savesWithServiceNotice.edit, isAccessible: federationOnly },
    delete: { isAccessible: false },
    bulkDelete: { isAccessible: false },
  };
}

/**
 * @adminjs/sql reads the shown tables' columns and types once, at start. Its reader opens a pool of its
 * own; it reads on the app's pool instead, whose connection is open already (the migrations used it):
 * no connections made and closed again for a few catalog reads, about a tenth of the start.
 */
async function introspect(db: Db, tables: string[]) {
  const connectionString = (db.client.config.connection as { connectionString: string }).connectionString;
  const database = new URL(connectionString).pathname.slice(1);
  const reader = new PostgresSchemaReader('postgresql', { connectionString, database });
  await reader.knex.destroy(); // never connected: nothing to wait for
  Object.assign(reader, { knex: db });
  const resources = await reader.getResources(tables, await reader.getSchema());
  const meta = new DatabaseMetadata(database, new Map(resources.map((resource) => [resource.tableName, resource])));
  return { table: (name: string) => meta.table(name) };
}
