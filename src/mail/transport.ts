import nodemailer, { type Transporter } from 'nodemailer';
import type { Config } from '../config.js';
import type { Db } from '../db/connection.js';
import type { Logger } from '../logger.js';

export interface OutgoingMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Set-password links in the message: logged only by the development mailbox. */
  links: string[];
}

export interface MailTransport {
  kind: 'smtp' | 'dev-mailbox';
  send(message: OutgoingMessage): Promise<void>;
  close(): void;
}

/** SMTP_URL when set; otherwise (never in production) the development mailbox in the database. */
export function createMailTransport(config: Config, db: Db, logger: Logger): MailTransport {
  if (config.smtpUrl) return smtpTransport(config.smtpUrl, config.mailFrom);
  if (config.isProduction) throw new Error('SMTP_URL is required in production');
  return devMailboxTransport(db, logger);
}

export function smtpTransport(smtpUrl: string, from: string): MailTransport {
  const transporter: Transporter = nodemailer.createTransport(smtpUrl, { from });
  return {
    kind: 'smtp',
    async send(message) {
      await transporter.sendMail({ to: message.to, subject: message.subject, text: message.text, html: message.html });
    },
    close: () => transporter.close(),
  };
}

function devMailboxTransport(db: Db, logger: Logger): MailTransport {
  return {
    kind: 'dev-mailbox',
    async send(message) {
      await db('dev_mailbox').insert({ to_address: message.to, subject: message.subject, text: message.text, html: message.html });
      // Development only (no SMTP_URL, not production): lets a newcomer follow the flow from the console.
      logger.info({ to: message.to, links: message.links }, 'development mailbox: message kept at /kehitys/postilaatikko');
    },
    close: () => undefined,
  };
}
