import express, { type Express } from 'express';
import { loadConfig } from '../src/config.js';
import { createDb } from '../src/db/connection.js';
import { authenticateMember } from '../src/passwords/login.js';
import { createThrottles } from '../src/passwords/throttles.js';
import { memberSessions, startMemberSession } from '../src/sessions/member-session.js';

/**
 * The login floor with the database: POST /kirjaudu-tietokanta does what a login has to do when its
 * limits, sessions and audit log are in PostgreSQL (the quality bar's rule), with the app's own code
 * for exactly that — the login service (counters and account read in one statement, bcrypt) and the
 * member session saved with its audit row — and nothing of the app's request pipeline around it
 * (headers, CSRF, logging, languages, trusted devices, error pages). What the app costs over this
 * floor is its pipeline; what this floor costs over the bare one is the database work every such
 * login needs. Configured from the app's own environment (bench/processes.ts appEnvironment).
 */
export function addDatabaseLoginFloor(app: Express): void {
  const config = loadConfig(process.env);
  const db = createDb(config.databaseUrl!);
  const deps = { db, config, throttles: createThrottles(db) };
  app.post('/kirjaudu-tietokanta', express.urlencoded({ extended: false }), memberSessions(config, config.sessionSecret!, db), async (req, res) => {
    const outcome = await authenticateMember(deps, {
      memberNumber: String(req.body?.memberNumber ?? ''),
      password: String(req.body?.password ?? ''),
      clientKey: String(req.headers['x-forwarded-for'] ?? req.socket.remoteAddress),
    });
    if (outcome.kind !== 'ok') return res.sendStatus(401);
    await startMemberSession(req, outcome.member.id, outcome.audit);
    res.redirect(303, '/omat-tiedot');
  });
}
