import { z } from 'zod';

/**
 * The one place that reads process.env. Everything else receives a frozen Config.
 * A wrong or missing value stops the start with a message naming the variable.
 */

const emailLike = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

/** "Invalidiliitto <noreply@invalidiliitto.fi>" → "noreply@invalidiliitto.fi" */
const bareAddress = (mailbox: string) => mailbox.replace(/^.*<(.+)>\s*$/, '$1').trim();

const intFrom = (name: string, fallback: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw.trim() === '') return fallback;
      const value = Number(raw);
      if (!Number.isInteger(value) || value < min || value > max) {
        ctx.addIssue({ code: 'custom', message: `${name} must be a whole number from ${min} to ${max}` });
        return z.NEVER;
      }
      return value;
    });

const optionalText = z
  .string()
  .optional()
  .transform((raw) => (raw === undefined || raw.trim() === '' ? undefined : raw.trim()));

const schema = z.object({
  NODE_ENV: z
    .enum(['development', 'production', 'test'], { message: 'NODE_ENV must be development, production or test' })
    .default('development'),
  PORT: intFrom('PORT', 3000, 1, 65535),
  PUBLIC_URL: optionalText.refine(
    (value) => value === undefined || isHttpOrigin(value),
    'PUBLIC_URL must be an absolute http:// or https:// origin such as https://asiointi.example.fi (no path)',
  ),
  DATABASE_URL: optionalText.refine(
    (value) => value === undefined || /^postgres(ql)?:\/\/\S+$/.test(value),
    'DATABASE_URL must be a PostgreSQL URL such as postgres://user:password@host:5432/database',
  ),
  SMTP_URL: optionalText.refine(
    (value) => value === undefined || isSmtpUrl(value),
    'SMTP_URL must be an smtp:// or smtps:// URL such as smtp://user:password@mail.example.fi:587',
  ),
  MAIL_FROM: optionalText
    .transform((value) => value ?? 'Invalidiliitto <noreply@invalidiliitto.fi>')
    .refine(
      (value) => emailLike.test(bareAddress(value)),
      'MAIL_FROM must be an address such as "Invalidiliitto <noreply@invalidiliitto.fi>"',
    ),
  FEDERATION_NAME: optionalText.transform((value) => value ?? 'Invalidiliitto'),
  MEMBER_SERVICES_EMAIL: optionalText
    .transform((value) => value ?? 'jasenasiat@invalidiliitto.fi')
    .refine((value) => emailLike.test(value), 'MEMBER_SERVICES_EMAIL must be an email address'),
  SESSION_SECRET: optionalText.refine(
    (value) => value === undefined || value.length >= 32,
    'SESSION_SECRET must be at least 32 characters of random text',
  ),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      message: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
    })
    .default('info'),
  BCRYPT_COST: intFrom('BCRYPT_COST', 11, 10, 15),
  SET_PASSWORD_LINK_HOURS_FIRST: intFrom('SET_PASSWORD_LINK_HOURS_FIRST', 168, 1, 720),
  SET_PASSWORD_LINK_HOURS: intFrom('SET_PASSWORD_LINK_HOURS', 24, 1, 720),
  // A reminder (src/passwords/link-reminders.ts) when a first-time link has this many hours left; 0: none at all.
  LINK_REMINDER_HOURS: intFrom('LINK_REMINDER_HOURS', 24, 0, 720),
  // The one-time code of a printed activation letter (src/passwords/activation-codes.ts): the post and a member who waits.
  ACTIVATION_CODE_DAYS: intFrom('ACTIVATION_CODE_DAYS', 30, 1, 365),
  LINK_SEND_SLICE: intFrom('LINK_SEND_SLICE', 1000, 1, 2000),
  CASE_RETENTION_DAYS: intFrom('CASE_RETENTION_DAYS', 90, 1, 3650),
  // Retention (src/retention.ts; the README's Configuration table says why each default).
  // Mail and ended links 90 days, like cases: staff answer "did my mail arrive, was the link used?" for weeks.
  MAIL_RETENTION_DAYS: intFrom('MAIL_RETENTION_DAYS', 90, 1, 3650),
  LINK_RETENTION_DAYS: intFrom('LINK_RETENTION_DAYS', 90, 1, 3650),
  // A finished staff link send only shows its progress; who got what stays in the mail list and audit log.
  LINK_SEND_RETENTION_DAYS: intFrom('LINK_SEND_RETENTION_DAYS', 30, 1, 3650),
  // The development mailbox holds clear links: no longer than the longest default link lifetime (168 h).
  DEV_MAILBOX_RETENTION_DAYS: intFrom('DEV_MAILBOX_RETENTION_DAYS', 7, 1, 3650),
  // The audit log is the evidence of who changed a member's address or sent them a link: two years, so a
  // dispute or a misuse found late can still be traced; at least 90 days, the default life of the mail and cases it explains.
  AUDIT_RETENTION_DAYS: intFrom('AUDIT_RETENTION_DAYS', 730, 90, 3650),
  TRUST_PROXY: intFrom('TRUST_PROXY', 0, 0, 10),
  // Mail delivery (src/mail/worker.ts): temporary failures are retried this long after the mail was queued.
  MAIL_RETRY_HOURS: intFrom('MAIL_RETRY_HOURS', 24, 1, 720),
  MAIL_CONNECTIONS: intFrom('MAIL_CONNECTIONS', 4, 1, 20),
  WORKER: optionalText
    .transform((value) => value?.toLowerCase() ?? 'on')
    .refine((value) => value === 'on' || value === 'off', 'WORKER must be on or off'),
  // Staff second factor (src/staff/second-factor.ts); unset: required in production, optional elsewhere.
  STAFF_MFA: optionalText
    .transform((value) => value?.toLowerCase())
    .refine((value) => value === undefined || value === 'required' || value === 'optional', 'STAFF_MFA must be required or optional'),
});

function isHttpOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && (url.pathname === '/' || url.pathname === '') && !url.search && !url.hash;
  } catch {
    return false;
  }
}

function isSmtpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'smtp:' || url.protocol === 'smtps:') && url.hostname !== '';
  } catch {
    return false;
  }
}

export interface Config {
  readonly nodeEnv: 'development' | 'production' | 'test';
  readonly isProduction: boolean;
  readonly port: number;
  /** Absolute origin without a trailing slash; the only source of links in mail. */
  readonly publicUrl: string;
  readonly secureCookies: boolean;
  readonly databaseUrl: string | undefined;
  readonly smtpUrl: string | undefined;
  readonly mailFrom: string;
  /** The bare address of MAIL_FROM, which members are told to look for. */
  readonly mailFromAddress: string;
  readonly federationName: string;
  readonly memberServicesEmail: string;
  readonly sessionSecret: string | undefined;
  readonly logLevel: string;
  readonly bcryptCost: number;
  readonly linkHoursFirst: number;
  readonly linkHours: number;
  /** A member who never set a password is reminded once when their link has this many hours left; 0: never. */
  readonly linkReminderHours: number;
  /** Days an activation letter's code works (issue #14). */
  readonly activationCodeDays: number;
  /** Addresses of a staff link send the worker prepares in one transaction. */
  readonly linkSendSlice: number;
  readonly caseRetentionDays: number;
  /** Sent and failed mail (with the rows naming its members) is removed this many days after it was made and ended. */
  readonly mailRetentionDays: number;
  /** Set-password links are removed this many days after they ended (used, revoked or expired). */
  readonly linkRetentionDays: number;
  /** Finished staff link sends are removed this many days after they were started. */
  readonly linkSendRetentionDays: number;
  readonly devMailboxRetentionDays: number;
  readonly auditRetentionDays: number;
  readonly trustProxy: number;
  /** Temporary delivery failures are retried this many hours after the mail was queued, then it fails. */
  readonly mailRetryHours: number;
  /** SMTP connections kept open, and so mails in flight at once, per process. */
  readonly mailConnections: number;
  /** Whether this process runs the background worker and the maintenance (`npm run worker` always does). */
  readonly runWorker: boolean;
  /**
   * 'required': every staff member signs in with a second factor, enrolling at their next login.
   * 'optional': only those who have enrolled (they always must use it).
   */
  readonly staffMfa: 'required' | 'optional';
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? 'environment');
        return issue.message.startsWith(name) ? issue.message : `${name}: ${issue.message}`;
      }),
    );
  }
  const e = parsed.data;
  const problems: string[] = [];
  if (e.NODE_ENV === 'production') {
    if (!e.DATABASE_URL) problems.push('DATABASE_URL is required when NODE_ENV=production (a PostgreSQL URL)');
    if (!e.SESSION_SECRET) problems.push('SESSION_SECRET is required when NODE_ENV=production (at least 32 random characters)');
    if (!e.SMTP_URL) problems.push('SMTP_URL is required when NODE_ENV=production (smtp:// or smtps:// URL)');
    if (!e.PUBLIC_URL) problems.push('PUBLIC_URL is required when NODE_ENV=production (the https:// origin members open)');
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
  return Object.freeze({
    nodeEnv: e.NODE_ENV,
    isProduction: e.NODE_ENV === 'production',
    port: e.PORT,
    publicUrl,
    secureCookies: publicUrl.startsWith('https:'),
    databaseUrl: e.DATABASE_URL,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    mailFromAddress: bareAddress(e.MAIL_FROM),
    federationName: e.FEDERATION_NAME,
    memberServicesEmail: e.MEMBER_SERVICES_EMAIL,
    sessionSecret: e.SESSION_SECRET,
    logLevel: e.LOG_LEVEL,
    bcryptCost: e.BCRYPT_COST,
    linkHoursFirst: e.SET_PASSWORD_LINK_HOURS_FIRST,
    linkHours: e.SET_PASSWORD_LINK_HOURS,
    linkReminderHours: e.LINK_REMINDER_HOURS,
    activationCodeDays: e.ACTIVATION_CODE_DAYS,
    linkSendSlice: e.LINK_SEND_SLICE,
    caseRetentionDays: e.CASE_RETENTION_DAYS,
    mailRetentionDays: e.MAIL_RETENTION_DAYS,
    linkRetentionDays: e.LINK_RETENTION_DAYS,
    linkSendRetentionDays: e.LINK_SEND_RETENTION_DAYS,
    devMailboxRetentionDays: e.DEV_MAILBOX_RETENTION_DAYS,
    auditRetentionDays: e.AUDIT_RETENTION_DAYS,
    trustProxy: e.TRUST_PROXY,
    mailRetryHours: e.MAIL_RETRY_HOURS,
    mailConnections: e.MAIL_CONNECTIONS,
    runWorker: e.WORKER === 'on',
    staffMfa: e.STAFF_MFA === 'required' || e.STAFF_MFA === 'optional' ? e.STAFF_MFA : e.NODE_ENV === 'production' ? 'required' : 'optional',
  });
}
