import { loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { openDatabase } from './open-database.js';

// `npm run db:migrate`: opening the database applies every pending migration.
const config = loadConfig();
const logger = createLogger(config.logLevel);
const database = await openDatabase(config, logger);
const [, pending] = (await database.db.migrate.list()) as [unknown[], unknown[]];
logger.info({ pending: pending.length }, 'migrations are up to date');
await database.close();
