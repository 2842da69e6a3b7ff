import express, { type ErrorRequestHandler, type Express } from 'express';
import { ADMIN_ASSETS_PATH, adminAssets, createAdminRouter } from '../admin/index.js';
import path from 'node:path';
import type { Config } from './config.js';
import type { Db } from './db/connection.js';
import { isDatabaseUnavailable } from './db/unavailable.js';
import { healthRoutes } from './health/routes.js';
import { HttpError } from './http-errors.js';
import { languageMiddleware } from './i18n/language-middleware.js';
import { inputBoundary } from './input-boundary.js';
import type { Logger } from './logger.js';
import { createThrottles } from './passwords/throttles.js';
import { portalRoutes } from './portal/routes.js';
import { renderView, VIEWS_DIR } from './views.js';
import { requestLogging } from './request-logging.js';
import type { ServiceDeps } from './services.js';
import { memberSessions } from './sessions/member-session.js';

export interface AppDeps {
  config: Config;
  db: Db;
  logger: Logger;
}

export async function createApp(deps: AppDeps): Promise<Express> {
  const { config, db } = deps;
  if (!config.sessionSecret) throw new Error('createApp needs config.sessionSecret');
  const services: ServiceDeps = { db, config, throttles: createThrottles(db) };
  const app = express();
  app.disable('x-powered-by');
  // Express shows stack traces outside 'production'; no environment of ours should.
  app.set('env', 'production');
  app.set('trust proxy', config.trustProxy);
  app.set('view engine', 'ejs');
  app.set('views', VIEWS_DIR);
  app.engine('ejs', renderView);

  app.use(inputBoundary(config, deps.logger));
  healthRoutes(app, db);
  app.use(requestLogging(deps.logger));
  app.use('/static', express.static(path.join(VIEWS_DIR, 'static'), { maxAge: '1h', fallthrough: false }));
  app.use(languageMiddleware(config.secureCookies));
  app.use((_req, res, next) => {
    res.locals.federationName = config.federationName;
    res.locals.memberServicesEmail = config.memberServicesEmail;
    res.locals.hasErrors = false;
    res.locals.errors = [];
    next();
  });

  // The back-office first: it has its own session, headers and CSRF defence, and the portal's must not touch it.
  app.use(ADMIN_ASSETS_PATH, adminAssets());
  app.use('/admin', await createAdminRouter({ config, db, logger: deps.logger, services }));

  app.use(
    portalRoutes(services, {
      sessions: memberSessions(config, config.sessionSecret, db),
      devMailbox: !config.isProduction && !config.smtpUrl,
    }),
  );

  app.use((_req, _res, next) => next(new HttpError(404, 'notFound')));
  app.use(errorHandler(deps.logger));
  return app;
}

/** Seconds a person (or a client) is asked to wait when the database is away. */
const RETRY_AFTER_SECONDS = 30;

/**
 * Only the unexpected reaches here: a plain page in the person's language, never a stack trace.
 * The database away (stopped, restarting, out of connections) is 503 with Retry-After: "try again
 * in a moment", nothing was done.
 */
function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const unavailable = isDatabaseUnavailable(error);
    const csrfFailure = error?.code === 'EBADCSRFTOKEN';
    const status = unavailable ? 503 : error instanceof HttpError ? error.status : csrfFailure ? 403 : typeof error?.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (unavailable) (req.log ?? logger).warn({ err: error }, 'database unavailable: answered 503');
    else if (status >= 500) (req.log ?? logger).error({ err: error }, 'request failed');
    if (res.headersSent) return;
    res.status(status);
    if (unavailable) res.set({ 'Retry-After': String(RETRY_AFTER_SECONDS), 'Cache-Control': 'no-store' });
    if (!res.locals.t) {
      res.type('text/plain').send(status === 404 ? 'Not found' : unavailable ? 'Service unavailable: try again in a moment' : 'Error');
      return;
    }
    const kind = unavailable ? 'unavailable' : csrfFailure ? 'csrf' : status === 404 ? 'notFound' : status === 429 ? 'tooMany' : status >= 500 ? 'server' : 'badRequest';
    res.render('pages/error', { status, kind }, (renderError, html) => {
      if (!renderError) return res.send(html);
      if (unavailable) return res.type('text/plain').send(`${res.locals.t('errors.unavailableTitle')}\n\n${res.locals.t('errors.unavailableText')}\n`);
      (req.log ?? logger).error({ err: renderError }, 'error page could not be rendered');
      res.status(500).type('text/plain').send('Error');
    });
  };
}
