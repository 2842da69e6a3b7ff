import path from 'node:path';
import { projectRoot } from '../src/project-root.js';

/**
 * AdminJS decides at import time, from process.env, how it serves its component bundle: with
 * NODE_ENV=production it serves a file from ADMIN_JS_TMP_DIR (default `.adminjs`, which Express 5
 * refuses to serve: a dot-directory) and otherwise bundles at run time into the working directory.
 * We want neither: the bundle is built by `npm run build` (admin/build-bundle.ts) into a normal
 * folder, and served from there whatever NODE_ENV the app runs with. So AdminJS is imported here,
 * once, with those variables set, and NODE_ENV is put back for the rest of the process.
 */
export const ADMIN_BUNDLE_DIR = path.join(projectRoot, 'dist', 'admin-bundle');

const savedNodeEnv = process.env.NODE_ENV;
process.env.ADMIN_JS_TMP_DIR = ADMIN_BUNDLE_DIR;
process.env.ADMIN_JS_SKIP_BUNDLE = 'true';
process.env.NODE_ENV = 'production';
const adminjs = await import('adminjs');
const adminExpress = await import('@adminjs/express');
if (savedNodeEnv === undefined) delete process.env.NODE_ENV;
else process.env.NODE_ENV = savedNodeEnv;

export const AdminJS = adminjs.default;
export const { BaseResource, BaseRecord, ValidationError, ComponentLoader } = adminjs;
export const AdminJSExpress = adminExpress.default;
export type { ActionContext, ActionRequest, ActionResponse, CurrentAdmin, ResourceOptions, Filter } from 'adminjs';
