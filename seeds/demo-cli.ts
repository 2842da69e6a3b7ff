import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/open-database.js';
import { createLogger } from '../src/logger.js';
import { demoMembers, demoStaff } from './demo-data.js';
import { SeedRefusedError, seedDemoData } from './demo.js';

// `npm run db:seed [-- --reset]`: the documented demo set; never in production.
const config = loadConfig();
if (config.isProduction) {
  console.error('db:seed refuses to run with NODE_ENV=production: demo accounts have published passwords.');
  process.exit(1);
}
const logger = createLogger(config.logLevel);
const database = await openDatabase(config, logger);
try {
  await seedDemoData(database.db, { bcryptCost: config.bcryptCost, reset: process.argv.includes('--reset') });
  console.log(`Demo data loaded: ${demoStaff.length} staff accounts, ${demoMembers.length} members (see README).`);
} catch (error) {
  if (!(error instanceof SeedRefusedError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
} finally {
  await database.close();
}
