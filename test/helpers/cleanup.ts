import { after } from 'node:test';

/**
 * Resources a test file opened, released when the whole file is done. Registered once at import
 * (top level), because `after` called inside a `before` hook would run right after that hook.
 */
const cleanups: Array<() => unknown> = [];

after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

export function onFileEnd(cleanup: () => unknown): void {
  cleanups.push(cleanup);
}
