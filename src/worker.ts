import { startBackgroundWorker } from './background.js';
import { openDatabase } from './db/open-database.js';
import { createLogger } from './logger.js';
import { createMailTransport } from './mail/transport.js';
import { startMaintenance } from './maintenance.js';
import { createThrottles } from './passwords/throttles.js';
import { loadConfigOrExit, STOP_GRACE_MS, stopOnSignals } from './stop-signals.js';

/**
 * `npm run worker`: the background worker alone (staff link sends become mail, mail is sent,
 * retention is kept), no HTTP. For web processes started with WORKER=off; any number may run, they
 * share the work through the database. It needs DATABASE_URL: an embedded database of its own would
 * not be the app's (and starting one on the app's folder would stop the app's).
 */
const config = loadConfigOrExit();
if (!config.databaseUrl) {
  console.error('npm run worker needs DATABASE_URL, the PostgreSQL the web processes use. (Without DATABASE_URL, `npm start` runs its worker itself.)');
  process.exit(1);
}
const logger = createLogger(config.logLevel);
const stopper = stopOnSignals(logger);
const database = await openDatabase(config, logger).catch((error: unknown) => {
  logger.error({ err: error }, 'the database could not be opened');
  process.exit(1);
});
stopper.close(() => database.close());

const transport = createMailTransport(config, database.db, logger);
const worker = startBackgroundWorker({ db: database.db, config, throttles: createThrottles(database.db), transport, logger });
const maintenance = startMaintenance(database.db, config, logger);
stopper.drain(() => worker.stop({ graceMs: STOP_GRACE_MS }));
stopper.drain(() => maintenance.stop());
logger.info({ connections: transport.connections, transport: transport.kind }, 'background worker started');
