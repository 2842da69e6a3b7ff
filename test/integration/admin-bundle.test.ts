import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ADMIN_BUNDLE_DIR, AdminRouter } from '../../admin/adminjs-runtime.js';
import { StaffClient } from '../helpers/admin-api.js';
import { FEDERATION } from '../helpers/demo-accounts.js';
import { startPortal } from '../helpers/portal.js';

/**
 * The back-office's custom components are bundled by `npm run build` (admin/build-bundle.ts) and the
 * app serves that file. AdminJS decides at import time whether it bundles at run time instead (into
 * `.adminjs/`, serving that copy ever after, stale once a component changes): this fails if any
 * import loads AdminJS before admin/adminjs-runtime.ts has set it up.
 */
test('the back-office serves the bundle built by npm run build and bundles nothing at run time', async () => {
  const portal = await startPortal();
  const bundle = AdminRouter.assets.find((asset: { path: string }) => asset.path === '/frontend/assets/components.bundle.js');
  assert.equal(bundle?.src, path.join(ADMIN_BUNDLE_DIR, 'bundle.js'));
  assert.equal(AdminRouter.routes.some((route: { action: string }) => route.action === 'bundleComponents'), false, 'no bundling route');

  const staff = await StaffClient.login(portal.base, ...FEDERATION);
  const served = await staff.get('/admin/frontend/assets/components.bundle.js');
  assert.equal(served.status, 200);
  assert.equal(served.text, readFileSync(path.join(ADMIN_BUNDLE_DIR, 'bundle.js'), 'utf8'));
});
