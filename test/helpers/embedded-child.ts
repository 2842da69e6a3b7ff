import { startEmbeddedPostgres } from '../../src/db/embedded-postgres.js';

// Started by a test and then killed with SIGKILL, leaving its PostgreSQL running behind it.
const server = await startEmbeddedPostgres(process.argv[2]!);
console.log(`READY ${server.port}`);
setInterval(() => undefined, 60_000);
