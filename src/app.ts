import express, { type ErrorRequestHandler, type Express } from 'express';
import path from 'node:path';
import type { Config } from './config.js';
import type { Db } from './db/connection.js';
import { healthRoutes } from './health/routes.js';
import { HttpError } from './http-errors.js';
import { languageMiddleware } from './i18n/language-middleware.js';
import type { Logger } from './logger.js';
import { projectRoot } from './project-root.js';
import { portalRoutes } from './portal/routes.js';
import { requestLogging } from './request-logging.js';

export interface AppDeps {
  config: Config;
  db: Db;
  logger: Logger;
}

export function createApp(deps: AppDeps): Express {
  const { config } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.set('view engine', 'ejs');
  app.set('views', path.join(projectRoot, 'portal-views'));

  app.use(healthRoutes(deps.db));
  app.use(requestLogging(deps.logger));
  app.use('/static', express.static(path.join(projectRoot, 'portal-views', 'static'), { maxAge: '1h', fallthrough: false }));
  app.use(languageMiddleware(config.secureCookies));
  app.use((_req, res, next) => {
    res.locals.federationName = config.federationName;
    res.locals.memberServicesEmail = config.memberServicesEmail;
    next();
  });

  app.use(portalRoutes(deps));

  app.use((_req, _res, next) => next(new HttpError(404, 'notFound')));
  app.use(errorHandler(deps.logger));
  return app;
}

function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const status = error instanceof HttpError ? error.status : typeof error?.status === 'number' && error.status < 500 ? error.status : 500;
    if (status >= 500) (req.log ?? logger).error({ err: error }, 'request failed');
    if (res.headersSent) return;
    res.status(status);
    if (!res.locals.t) {
      res.type('text/plain').send(status === 404 ? 'Not found' : 'Error');
      return;
    }
    res.render('pages/error', { status, notFound: status === 404 });
  };
}
