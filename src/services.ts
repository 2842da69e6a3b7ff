import type { Config } from './config.js';
import type { Db } from './db/connection.js';
import type { Throttles } from './passwords/throttles.js';

/** What the services need, handed down from server.ts; the portal and the admin pass the same one. */
export interface ServiceDeps {
  db: Db;
  config: Config;
  throttles: Throttles;
}
