import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ADMIN_BUNDLE_DIR } from '../../admin/adminjs-runtime.js';
import { projectRoot } from '../../src/project-root.js';
import { StaffClient } from '../helpers/admin-api.js';
import { FEDERATION } from '../helpers/demo-accounts.js';
import { startPortal } from '../helpers/portal.js';

/**
 * The back-office's custom components are bundled by `npm run build` (admin/build-bundle.ts) and the
 * app serves that file. AdminJS decides at import time whether it bundles at run time instead (into
 * `.adminjs/`, serving that copy ever after, stale once a component changes): this fails if any
 * import loads AdminJS before admin/adminjs-runtime.ts has set it up.
 */
/** AdminJS's route table as the app's own imports leave it, in a fresh process (this file's imports must not decide it). */
function adminRoutesAsTheAppLoadsThem(): { assets: Array<{ path: string; src: string }>; actions: string[] } {
  const script = `await import('./src/app.ts'); const { Router } = await import('adminjs');
    console.log(JSON.stringify({ assets: Router.assets, actions: Router.routes.map((r) => r.action) }));`;
  const output = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: projectRoot, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'development' } });
  return JSON.parse(output.trim().split('\n').at(-1)!);
}

test('the back-office serves the bundle built by npm run build and bundles nothing at run time', async () => {
  const routes = adminRoutesAsTheAppLoadsThem();
  const bundle = routes.assets.find((asset) => asset.path === '/frontend/assets/components.bundle.js');
  assert.equal(bundle?.src, path.join(ADMIN_BUNDLE_DIR, 'bundle.js'));
  assert.equal(routes.actions.includes('bundleComponents'), false, 'no bundling route');

  const portal = await startPortal();
  const staff = await StaffClient.login(portal.base, ...FEDERATION);
  const served = await staff.get('/admin/frontend/assets/components.bundle.js');
  assert.equal(served.status, 200);
  assert.equal(served.text, readFileSync(path.join(ADMIN_BUNDLE_DIR, 'bundle.js'), 'utf8'));
});
