import type { Server } from 'node:http';
import { EmbeddedPostgresError } from './db/embedded-postgres.js';
import { openDatabase, type OpenDatabase } from './db/open-database.js';
import { developmentSessionSecret } from './dev-secret.js';
import { createLogger } from './logger.js';
import { closeHttpServer, loadConfigOrExit, STOP_GRACE_MS, stopOnSignals } from './stop-signals.js';

/**
 * What serves the requests and runs in the background: most of the start is loading these modules
 * (AdminJS above all), so they are imported while the database opens, not before it.
 */
async function loadServingModules() {
  const [app, background, transport, maintenance, throttles, demo] = await Promise.all([
    import('./app.js'),
    import('./background.js'),
    import('./mail/transport.js'),
    import('./maintenance.js'),
    import('./passwords/throttles.js'),
    import('../seeds/demo.js'),
  ]);
  return { ...app, ...background, ...transport, ...maintenance, ...throttles, ...demo };
}

/**
 * The web process: config → database (embedded when no DATABASE_URL) → migrations → HTTP, and the
 * background worker and maintenance unless WORKER=off (then `npm run worker` runs them). On SIGTERM
 * or SIGINT it stops gracefully: see stop-signals.ts.
 */
export async function startServer(options: { clusterDir?: string } = {}): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger(config.logLevel);
  const stopper = stopOnSignals(logger);
  if (config.secureCookies && config.trustProxy === 0) {
    logger.warn('PUBLIC_URL is https but TRUST_PROXY=0: session cookies are Secure and are only set on requests that arrive over TLS; behind a TLS-terminating proxy set TRUST_PROXY=1');
  }
  const sessionSecret = config.sessionSecret ?? developmentSessionSecret();

  const loading = loadServingModules();
  loading.catch(() => undefined); // awaited below, once the database is open; a failure is thrown there
  let database: OpenDatabase;
  try {
    database = await openDatabase(config, logger, { clusterDir: options.clusterDir, callerStopsOnSignals: true });
  } catch (error) {
    if (error instanceof EmbeddedPostgresError) console.error(error.message);
    else logger.error({ err: error }, 'the database could not be opened');
    process.exit(1);
  }
  stopper.close(() => database.close());
  let modules: Awaited<typeof loading>;
  try {
    modules = await loading;
  } catch (error) {
    logger.error({ err: error }, 'the application could not be loaded');
    await database.close();
    process.exit(1);
  }
  const { isRegisterEmpty, seedDemoData, createApp, startBackgroundWorker, createMailTransport, startMaintenance, createThrottles } = modules;

  if (database.embedded && (await isRegisterEmpty(database.db))) {
    await seedDemoData(database.db, { bcryptCost: config.bcryptCost });
    logger.info('empty embedded database: demo data loaded (see README for the demo accounts)');
  }

  const appConfig = { ...config, sessionSecret };
  const app = await createApp({ config: appConfig, db: database.db, logger });
  if (config.runWorker) {
    const transport = createMailTransport(appConfig, database.db, logger);
    const worker = startBackgroundWorker({ db: database.db, config: appConfig, throttles: createThrottles(database.db), transport, logger });
    const maintenance = startMaintenance(database.db, appConfig, logger);
    stopper.drain(() => worker.stop({ graceMs: STOP_GRACE_MS }));
    stopper.drain(() => maintenance.stop());
    if (transport.kind === 'dev-mailbox') logger.info({ url: `${config.publicUrl}/kehitys/postilaatikko` }, 'SMTP_URL not set: mail is kept in the development mailbox');
  } else {
    logger.info('WORKER=off: this process sends no mail and runs no maintenance; run `npm run worker` beside it');
  }

  const server: Server = app.listen(config.port, () => {
    logger.info({ url: config.publicUrl, port: config.port }, 'asiointipalvelu is listening');
  });
  server.on('error', async (error) => {
    logger.error({ err: error }, 'HTTP server could not start');
    await database.close();
    process.exit(1);
  });
  stopper.drain(() => closeHttpServer(server));
}
