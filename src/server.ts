import { startServer } from './start-server.js';

/** Entry point of the web process (`npm start`, `npm run dev`): see start-server.ts. */
await startServer();
