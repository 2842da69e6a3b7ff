import type { Server } from 'node:http';
import { isRegisterEmpty, seedDemoData } from '../seeds/demo.js';
import { createApp } from './app.js';
import { startBackgroundWorker } from './background.js';
import { EmbeddedPostgresError } from './db/embedded-postgres.js';
import { openDatabase, type OpenDatabase } from './db/open-database.js';
import { developmentSessionSecret } from './dev-secret.js';
import { createLogger } from './logger.js';
import { createMailTransport } from './mail/transport.js';
import { startMaintenance } from './maintenance.js';
import { createThrottles } from './passwords/throttles.js';
import { closeHttpServer, loadConfigOrExit, STOP_GRACE_MS, stopOnSignals } from './stop-signals.js';

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

  let database: OpenDatabase;
  try {
    database = await openDatabase(config, logger, { clusterDir: options.clusterDir, callerStopsOnSignals: true });
  } catch (error) {
    if (error instanceof EmbeddedPostgresError) console.error(error.message);
    else logger.error({ err: error }, 'the database could not be opened');
    process.exit(1);
  }
  stopper.close(() => database.close());

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
