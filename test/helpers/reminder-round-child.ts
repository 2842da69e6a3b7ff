import { pino } from 'pino';
import { loadConfig } from '../../src/config.js';
import { createDb } from '../../src/db/connection.js';
import type { Logger } from '../../src/logger.js';
import { smtpTransport } from '../../src/mail/transport.js';
import { processMailQueue } from '../../src/mail/worker.js';
import { sendDueLinkReminders } from '../../src/passwords/link-reminders.js';
import { createThrottles } from '../../src/passwords/throttles.js';

/**
 * A process of its own running the background worker's reminder round (test/reliability/
 * link-reminder-processes.test.ts): reminders in slices of SLICE links until none is due, then the mail.
 * It connects, says "ready", and waits for the test to release an advisory lock, so that two such
 * processes start claiming at the same moment. Prints what it did as one JSON line.
 */
const config = loadConfig();
const db = createDb(config.databaseUrl!, { max: 4 });
const transport = smtpTransport(config.smtpUrl!, config.mailFrom);
const deps = { db, config, throttles: createThrottles(db), transport, logger: pino({ level: 'silent' }) as Logger };
const slice = Number(process.env.SLICE ?? 3);

await db.raw('select 1');
console.log(JSON.stringify({ msg: 'ready' }));
await db.transaction((trx) => trx.raw('select pg_advisory_xact_lock_shared(?)', [Number(process.env.START_LOCK)]));

let reminded = 0;
let claims = 0;
for (let n = await sendDueLinkReminders(deps, { limit: slice }); n > 0; n = await sendDueLinkReminders(deps, { limit: slice })) {
  reminded += n;
  claims++;
}
const sent = await processMailQueue(deps);
console.log(JSON.stringify({ msg: 'done', reminded, claims, sent }));
transport.close();
await db.destroy();
