import { mkdirSync } from 'node:fs';

/**
 * `npm run build` (and `npm test` when it is missing): bundles the back-office's React components
 * into dist/admin-bundle/bundle.js, the file AdminJS serves as components.bundle.js. Nothing is
 * bundled or written at run time. The flag, set before AdminJS is imported, keeps its bundler in.
 */
process.env.ADMIN_BUNDLE_BUILD = '1';
const { ADMIN_BUNDLE_DIR, AdminJS } = await import('./adminjs-runtime.js');
const { componentLoader } = await import('./components/loader.js');

mkdirSync(ADMIN_BUNDLE_DIR, { recursive: true });
const saved = { skip: process.env.ADMIN_JS_SKIP_BUNDLE, env: process.env.NODE_ENV };
process.env.ADMIN_JS_SKIP_BUNDLE = 'false';
process.env.NODE_ENV = 'production';
await new AdminJS({ componentLoader }).initialize();
process.env.ADMIN_JS_SKIP_BUNDLE = saved.skip;
process.env.NODE_ENV = saved.env;
console.log(`AdminJS components bundled into ${ADMIN_BUNDLE_DIR}`);
