import ejs from 'ejs';
import path from 'node:path';
import { projectRoot } from './project-root.js';

/** The portal's pages and the mails: EJS templates in one folder. */
export const VIEWS_DIR = path.join(projectRoot, 'portal-views');

/**
 * EJS options for every render. Templates include others by their path from VIEWS_DIR
 * (`include('/partials/head')`): EJS resolves such a path against `root` without touching the disk,
 * where a relative include cost an existsSync call on every include of every render.
 */
export const VIEW_OPTIONS = { root: VIEWS_DIR };

/**
 * The EJS engine for Express (`app.engine('ejs', renderView)`) with VIEW_OPTIONS: EJS 7 no longer
 * reads Express's 'view options'. Compiled templates are kept when Express's 'view cache' is on, as
 * EJS itself decides when Express calls it directly.
 */
export function renderView(file: string, data: object, callback: (error: Error | null, html?: string) => void): void {
  const settings = (data as { settings?: Record<string, unknown> }).settings;
  ejs.renderFile(file, data, { ...VIEW_OPTIONS, cache: Boolean(settings?.['view cache']) }, callback);
}
