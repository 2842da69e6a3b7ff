/**
 * Module hooks (node:module `register`) that keep AdminJS's build-time and browser-side code out of
 * the server process. AdminJS's entry module re-exports its whole React front end, and its core
 * statically imports its component bundler (rollup, Babel) and, for two style helpers, the
 * design system's every component. None of that runs on the server: the components are bundled by
 * `npm run build` (admin/build-bundle.ts, which does not register these hooks). Loading it anyway
 * was about a second of every start.
 *
 * Each stub applies only when the module is imported from the AdminJS file or folder named beside
 * it, so our components and the build still see the real modules. A stub that no longer matches what AdminJS
 * imports fails at start ("does not provide an export named …"), and test/unit/adminjs-load-hooks
 * checks the files are still where these paths say (the versions are pinned in package.json).
 *
 * Plain JavaScript: hooks run in Node's loader thread, before any TypeScript loader.
 */

const STUB_QUERY = '?server-side-stub';

/** [resolved module path ending, the importing module's path ending, the stub's source given the real module's URL] */
export const STUBS = [
  [
    '/node_modules/adminjs/lib/frontend/index.js',
    '/node_modules/adminjs/lib/index.js',
    () => 'export {};',
  ],
  [
    '/node_modules/adminjs/lib/backend/bundler/components.bundler.js',
    // adminjs.js for initialize() and watch(), app-controller.js for the bundle route of NODE_ENV≠production
    // (adminjs-runtime.ts imports AdminJS with NODE_ENV=production, so that route is never made).
    '/node_modules/adminjs/lib/',
    () => `const refuse = () => { throw new Error('AdminJS components are bundled by npm run build, not at run time'); };
export default { createEntry: refuse, build: refuse, watch: refuse };`,
  ],
  [
    '/node_modules/@adminjs/design-system/build/index.js',
    '/node_modules/adminjs/lib/',
    (realUrl) => `export { combineStyles } from ${JSON.stringify(new URL('./utils/combine-styles.js', realUrl).href)};
export { DEFAULT_DRAWER_WIDTH } from ${JSON.stringify(new URL('./constants.js', realUrl).href)};`,
  ],
];

function stubFor(url, parentUrl) {
  return STUBS.find(([module, importer]) => url.endsWith(module) && parentUrl?.includes(importer));
}

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  if (stubFor(resolved.url, context.parentURL)) return { ...resolved, url: resolved.url + STUB_QUERY, shortCircuit: true };
  return resolved;
}

export async function load(url, context, nextLoad) {
  if (url.endsWith(STUB_QUERY)) {
    const realUrl = url.slice(0, -STUB_QUERY.length);
    const [, , source] = STUBS.find(([module]) => realUrl.endsWith(module));
    return { format: 'module', source: source(realUrl), shortCircuit: true };
  }
  return nextLoad(url, context);
}
