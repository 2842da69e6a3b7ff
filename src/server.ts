import type { Server } from 'node:http';
import { seedDemoData, isRegisterEmpty } from '../seeds/demo.js';
import { createApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { openDatabase } from './db/open-database.js';
import { EmbeddedPostgresError } from './db/embedded-postgres.js';
import { developmentSessionSecret } from './dev-secret.js';
import { createLogger } from './logger.js';
import { createMailTransport } from './mail/transport.js';
import { startMaintenance } from './maintenance.js';
import { startBackgroundWorker } from './background.js';
import { createThrottles } from './passwords/throttles.js';

/** Entry point: config → database (embedded when no DATABASE_URL) → migrations → HTTP. */
async function main() {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  if (config.secureCookies && config.trustProxy === 0) {
    logger.warn('PUBLIC_URL is https but TRUST_PROXY=0: session cookies are Secure and are only set on requests that arrive over TLS; behind a TLS-terminating proxy set TRUST_PROXY=1');
  }
  const sessionSecret = config.sessionSecret ?? developmentSessionSecret();

  let database;
  try {
    database = await openDatabase(config, logger);
  } catch (error) {
    if (error instanceof EmbeddedPostgresError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }

  if (database.embedded && (await isRegisterEmpty(database.db))) {
    await seedDemoData(database.db, { bcryptCost: config.bcryptCost });
    logger.info('empty embedded database: demo data loaded (see README for the demo accounts)');
  }

  const appConfig = { ...config, sessionSecret };
  const app = await createApp({ config: appConfig, db: database.db, logger });
  const transport = createMailTransport(appConfig, database.db, logger);
  const worker = startBackgroundWorker({ db: database.db, config: appConfig, throttles: createThrottles(database.db), transport, logger });
  const maintenance = startMaintenance(database.db, appConfig, logger);
  if (transport.kind === 'dev-mailbox') logger.info({ url: `${config.publicUrl}/kehitys/postilaatikko` }, 'SMTP_URL not set: mail is kept in the development mailbox');
  const server: Server = app.listen(config.port, () => {
    logger.info({ url: config.publicUrl, port: config.port }, 'asiointipalvelu is listening');
  });
  server.on('error', async (error) => {
    logger.error({ err: error }, 'HTTP server could not start');
    await database.close();
    process.exit(1);
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    server.close();
    server.closeAllConnections();
    maintenance.stop();
    await worker.stop();
    await database.close().catch((error) => logger.error({ err: error }, 'closing the database failed'));
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

await main();
