import { startServer } from '../../src/start-server.js';

// The web process exactly as `npm start` runs it without DATABASE_URL, with its embedded PostgreSQL in
// the folder a test gives (argv[2]) instead of the project's own .data/, which a developer may be using.
await startServer({ clusterDir: process.argv[2] });
