import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.js';

const problemsOf = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.message;
  }
  assert.fail('expected a ConfigError');
};

test('defaults follow the documented contract', () => {
  const config = loadConfig({});
  assert.equal(config.port, 3000);
  assert.equal(config.publicUrl, 'http://localhost:3000');
  assert.equal(config.mailFrom, 'Invalidiliitto <noreply@invalidiliitto.fi>');
  assert.equal(config.federationName, 'Invalidiliitto');
  assert.equal(config.memberServicesEmail, 'jasenasiat@invalidiliitto.fi');
  assert.equal(config.databaseUrl, undefined);
  assert.equal(loadConfig({ PORT: '8080' }).publicUrl, 'http://localhost:8080');
  assert.equal(loadConfig({ PUBLIC_URL: 'https://asiointi.example.fi/' }).publicUrl, 'https://asiointi.example.fi');
  assert.equal(loadConfig({ PUBLIC_URL: 'https://asiointi.example.fi' }).secureCookies, true);
});

test('a wrong value names the variable and what it expects', () => {
  assert.match(problemsOf({ PORT: 'abc' }), /PORT must be a whole number from 1 to 65535/);
  assert.match(problemsOf({ PORT: '70000' }), /PORT/);
  assert.match(problemsOf({ DATABASE_URL: 'mysql://x' }), /DATABASE_URL must be a PostgreSQL URL/);
  assert.match(problemsOf({ SMTP_URL: 'http://mail' }), /SMTP_URL must be an smtp:\/\/ or smtps:\/\/ URL/);
  assert.match(problemsOf({ PUBLIC_URL: 'asiointi.example.fi' }), /PUBLIC_URL must be an absolute/);
  assert.match(problemsOf({ PUBLIC_URL: 'https://example.fi/portal' }), /PUBLIC_URL/);
  assert.match(problemsOf({ MEMBER_SERVICES_EMAIL: 'nobody' }), /MEMBER_SERVICES_EMAIL must be an email address/);
  assert.match(problemsOf({ BCRYPT_COST: '8' }), /BCRYPT_COST must be a whole number from 10 to 15/);
  assert.match(problemsOf({ SESSION_SECRET: 'short' }), /SESSION_SECRET must be at least 32/);
  assert.match(problemsOf({ NODE_ENV: 'staging' }), /NODE_ENV must be development, production or test/);
});

test('retention periods default to the documented days', () => {
  const config = loadConfig({});
  assert.deepEqual(
    {
      mail: config.mailRetentionDays,
      links: config.linkRetentionDays,
      linkSends: config.linkSendRetentionDays,
      devMailbox: config.devMailboxRetentionDays,
      cases: config.caseRetentionDays,
      audit: config.auditRetentionDays,
    },
    { mail: 90, links: 90, linkSends: 30, devMailbox: 7, cases: 90, audit: 730 },
  );
});

test('retention periods take any whole number of days within their bounds', () => {
  const config = loadConfig({
    MAIL_RETENTION_DAYS: '10',
    LINK_RETENTION_DAYS: '1',
    LINK_SEND_RETENTION_DAYS: '3650',
    DEV_MAILBOX_RETENTION_DAYS: ' 2 ',
    AUDIT_RETENTION_DAYS: '90',
  });
  assert.deepEqual(
    [config.mailRetentionDays, config.linkRetentionDays, config.linkSendRetentionDays, config.devMailboxRetentionDays, config.auditRetentionDays],
    [10, 1, 3650, 2, 90],
  );
  assert.equal(loadConfig({ AUDIT_RETENTION_DAYS: '3650', MAIL_RETENTION_DAYS: '' }).auditRetentionDays, 3650);
  assert.equal(loadConfig({ MAIL_RETENTION_DAYS: '' }).mailRetentionDays, 90, 'empty means the default');
});

test('a retention period out of bounds names the variable and its bounds', () => {
  for (const name of ['MAIL_RETENTION_DAYS', 'LINK_RETENTION_DAYS', 'LINK_SEND_RETENTION_DAYS', 'DEV_MAILBOX_RETENTION_DAYS', 'CASE_RETENTION_DAYS']) {
    for (const wrong of ['0', '3651', '-5', '1.5', 'ninety']) {
      assert.match(problemsOf({ [name]: wrong }), new RegExp(`${name} must be a whole number from 1 to 3650`), `${name}=${wrong}`);
    }
  }
  for (const wrong of ['89', '3651', '2y']) {
    assert.match(problemsOf({ AUDIT_RETENTION_DAYS: wrong }), /AUDIT_RETENTION_DAYS must be a whole number from 90 to 3650/, `AUDIT_RETENTION_DAYS=${wrong}`);
  }
});

test('LINK_REMINDER_HOURS: a reminder 24 hours before a first-time link runs out by default; 0 turns reminders off', () => {
  assert.equal(loadConfig({}).linkReminderHours, 24);
  assert.equal(loadConfig({ LINK_REMINDER_HOURS: '48' }).linkReminderHours, 48);
  assert.equal(loadConfig({ LINK_REMINDER_HOURS: '0' }).linkReminderHours, 0);
  assert.equal(loadConfig({ LINK_REMINDER_HOURS: ' ' }).linkReminderHours, 24, 'empty means the default');
  for (const wrong of ['-1', '721', '12.5', 'yes']) {
    assert.match(problemsOf({ LINK_REMINDER_HOURS: wrong }), /LINK_REMINDER_HOURS must be a whole number from 0 to 720/, `LINK_REMINDER_HOURS=${wrong}`);
  }
});

test('production requires the database, secret, mail server and public address', () => {
  const message = problemsOf({ NODE_ENV: 'production' });
  for (const name of ['DATABASE_URL', 'SESSION_SECRET', 'SMTP_URL', 'PUBLIC_URL']) assert.match(message, new RegExp(`${name} is required`));
});

test('the server refuses to start on a bad value and says which variable', () => {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: { PATH: process.env.PATH, PORT: 'not-a-port' },
    encoding: 'utf8',
    timeout: 30_000,
  });
  assert.equal(result.status, 1);
  assert.match(result.stderr, /PORT must be a whole number/);
});
