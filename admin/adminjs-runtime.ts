import { register } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { projectRoot } from '../src/project-root.js';

/**
 * AdminJS decides at import time, from process.env, how it serves its component bundle: with
 * NODE_ENV=production it serves a file from ADMIN_JS_TMP_DIR (default `.adminjs`, which Express 5
 * refuses to serve: a dot-directory) and otherwise bundles at run time into the working directory.
 * We want neither: the bundle is built by `npm run build` (admin/build-bundle.ts) into a normal
 * folder, and served from there whatever NODE_ENV the app runs with. So AdminJS is imported here,
 * once, with those variables set, and NODE_ENV is put back for the rest of the process.
 *
 * Every AdminJS package (@adminjs/sql and @adminjs/express load adminjs too) must be imported from
 * here, never directly: whichever loads adminjs first fixes these settings, and a direct import that
 * ran first made AdminJS bundle the components at run time into `.adminjs/` and serve that copy,
 * stale as soon as a component changed.
 */
export const ADMIN_BUNDLE_DIR = path.join(projectRoot, 'dist', 'admin-bundle');

// ADMIN_BUNDLE_BUILD=1 is set by admin/build-bundle.ts before it imports this module: the build
// needs AdminJS's bundler, which everything else leaves out (admin/adminjs-load-hooks.mjs).
if (process.env.ADMIN_BUNDLE_BUILD !== '1') register(pathToFileURL(path.join(projectRoot, 'admin', 'adminjs-load-hooks.mjs')));

const savedNodeEnv = process.env.NODE_ENV;
process.env.ADMIN_JS_TMP_DIR = ADMIN_BUNDLE_DIR;
process.env.ADMIN_JS_SKIP_BUNDLE = 'true';
process.env.NODE_ENV = 'production';
const adminjs = await import('adminjs');
const adminExpress = await import('@adminjs/express');
const adminSql = await import('@adminjs/sql');
if (savedNodeEnv === undefined) delete process.env.NODE_ENV;
else process.env.NODE_ENV = savedNodeEnv;

export const AdminJS = adminjs.default;
export const { BaseResource, BaseRecord, ValidationError, ComponentLoader } = adminjs;
export const AdminJSExpress = adminExpress.default;
export const { Resource: SqlResource, DatabaseMetadata } = adminSql;

/**
 * @adminjs/sql's PostgreSQL schema reader, which its package does not export. The adapter's `init()`
 * reads every table in the database (21 here, about 160 ms of each start); the reader itself can be
 * asked for only the tables the back-office shows. Its output is the adapter's own: same code.
 */
interface SchemaReader {
  readonly knex: { destroy(): Promise<void> };
  getSchema(): Promise<string>;
  getResources(tables: string[], schema: string): Promise<InstanceType<typeof adminSql.ResourceMetadata>[]>;
}
const postgresParser = (await import(new URL('./dialects/postgres.parser.js', import.meta.resolve('@adminjs/sql')).href)) as {
  PostgresParser: new (dialect: 'postgresql', connection: { connectionString: string; database: string }) => SchemaReader;
};
export const PostgresSchemaReader = postgresParser.PostgresParser;
/** AdminJS's own table of routes and assets, decided when it was imported (tests check the bundle's place in it). */
export const AdminRouter = adminjs.Router;
export type { ActionContext, ActionRequest, ActionResponse, CurrentAdmin, ResourceOptions, Filter } from 'adminjs';
