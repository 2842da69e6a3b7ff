import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/open-database.js';
import { createLogger } from '../src/logger.js';
import { seedBulk } from './bulk.js';

// `npm run db:seed:bulk -- --members 100000 [--associations 150]`: volume data; never in production.
const { values } = parseArgs({ options: { members: { type: 'string', default: '100000' }, associations: { type: 'string', default: '150' } } });
const members = Number(values.members);
const associations = Number(values.associations);
if (!Number.isInteger(members) || members < 1 || !Number.isInteger(associations) || associations < 1) {
  console.error('Usage: npm run db:seed:bulk -- --members 100000 [--associations 150] (whole numbers above 0)');
  process.exit(1);
}
const config = loadConfig();
if (config.isProduction) {
  console.error('db:seed:bulk refuses to run with NODE_ENV=production.');
  process.exit(1);
}
const database = await openDatabase(config, createLogger('warn'));
const started = Date.now();
try {
  const result = await seedBulk(database.db, {
    members,
    associations,
    onProgress: (done, total) => process.stdout.write(`\rmembers ${done.toLocaleString('fi-FI')} / ${total.toLocaleString('fi-FI')}`),
  });
  process.stdout.write('\n');
  console.log(`Added ${result.associations} associations and ${result.members} members in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
} finally {
  await database.close();
}
