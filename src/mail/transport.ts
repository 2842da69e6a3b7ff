import { randomBytes, randomUUID } from 'node:crypto';
import nodemailer, { type Transporter } from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';
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
  /** How many messages it sends at once (SMTP: its pooled connections). */
  connections: number;
  /** Rejects with PermanentFailure when retrying cannot help; `signal` gives the send up (the connection is closed). */
  send(message: OutgoingMessage, options?: { signal?: AbortSignal }): Promise<void>;
  close(): void;
}

/** A failure that another attempt would meet again: the relay rejected the recipient or the message for good. */
export class PermanentFailure extends Error {
  override name = 'PermanentFailure';
}

/**
 * Timeouts set explicitly (nodemailer's defaults allow 2 minutes to connect and 10 minutes of silence
 * at each step): an unreachable or silent relay costs one connection 10 seconds, never the whole queue.
 */
export const SMTP_TIMEOUTS = { connectionMs: 10_000, greetingMs: 10_000, socketMs: 60_000 } as const;

/**
 * However a relay trickles its replies, a send is given up after this, its connection closed. The
 * worker's claim on a mail lasts longer, so no other process sends a mail this one may still be sending.
 */
export const LONGEST_SEND_MS = 3 * 60_000;

/** SMTP_URL when set; otherwise (never in production) the development mailbox in the database. */
export function createMailTransport(config: Config, db: Db, logger: Logger): MailTransport {
  if (config.smtpUrl) return smtpTransport(config.smtpUrl, config.mailFrom, { connections: config.mailConnections });
  if (config.isProduction) throw new Error('SMTP_URL is required in production');
  return devMailboxTransport(db, logger);
}

/**
 * Pooled connections (`pool: true` in the options object: as the second argument, nodemailer's
 * defaults, it is ignored and every mail opens a connection of its own).
 */
export function smtpTransport(smtpUrl: string, from: string, options: { connections?: number } = {}): MailTransport {
  const connections = options.connections ?? 4;
  const transporter: Transporter = nodemailer.createTransport(
    {
      url: smtpUrl,
      pool: true,
      maxConnections: connections,
      connectionTimeout: SMTP_TIMEOUTS.connectionMs,
      greetingTimeout: SMTP_TIMEOUTS.greetingMs,
      socketTimeout: SMTP_TIMEOUTS.socketMs,
      dnsTimeout: SMTP_TIMEOUTS.connectionMs,
      // A connection the relay dropped is replaced once for the message on it; more is the worker's retry.
      maxRequeues: 1,
    },
    { from },
  );
  const compose = messageComposer(from);
  return {
    kind: 'smtp',
    connections,
    async send(message, sendOptions = {}) {
      // A timer cleared when the send ends: AbortSignal.timeout's would live on for its 3 minutes
      // after every mail, and a send to thousands would leave tens of thousands of them to fire.
      const bound = new AbortController();
      const timer = setTimeout(() => bound.abort(), LONGEST_SEND_MS);
      const signal = sendOptions.signal ? AbortSignal.any([sendOptions.signal, bound.signal]) : bound.signal;
      try {
        await transporter.sendMail({ envelope: { from, to: [message.to] }, raw: await compose(message), signal });
      } catch (error) {
        if (bound.signal.aborted && !sendOptions.signal?.aborted) throw new Error(`the relay did not finish the message within ${LONGEST_SEND_MS / 60_000} minutes`, { cause: error });
        throw isPermanent(error) ? new PermanentFailure(describeSmtpError(error), { cause: error }) : error;
      } finally {
        clearTimeout(timer);
      }
    },
    close: () => transporter.close({ force: true }),
  };
}

/**
 * The message as nodemailer composes it, whole in memory before it is sent. Handed to the connection as
 * it was composed, it went to the socket in pieces, a system call each: in a profile of a bulk send,
 * the largest single cost of the sending process. Whole, it goes in a write or two.
 * The Message-ID and the MIME boundaries are made here as nodemailer makes them, from a UUID and a
 * random string, but without four calls for new random bytes a mail (boundaries need only differ
 * from the content, and nodemailer numbers each message's parts).
 */
function messageComposer(from: string): (message: OutgoingMessage) => Promise<Buffer> {
  const baseBoundary = randomBytes(8).toString('hex');
  const domain = (/@([^\s>]+)>?\s*$/.exec(from)?.[1] ?? 'localhost').toLowerCase();
  return (message) =>
    new Promise((resolve, reject) =>
      new MailComposer({ from, to: message.to, subject: message.subject, text: message.text, html: message.html, baseBoundary, messageId: `<${randomUUID()}@${domain}>` })
        .compile()
        .build((error, built) => (error ? reject(error) : resolve(built))),
    );
}

/**
 * Permanent: a 5xx reply to the recipient or to the message itself. A 5xx to the sender (MAIL FROM)
 * or to the login is the relay's configuration, not this mail's: retried, and logged as an error.
 */
function isPermanent(error: unknown): boolean {
  const { permanent, command } = (error ?? {}) as { permanent?: boolean; command?: string };
  return permanent === true && (command === 'RCPT TO' || command === 'DATA');
}

function describeSmtpError(error: unknown): string {
  const { response, message } = (error ?? {}) as { response?: string; message?: string };
  return `Vastaanottajan postipalvelin hylkäsi viestin pysyvästi: ${response ?? message ?? 'tuntematon syy'}`;
}

function devMailboxTransport(db: Db, logger: Logger): MailTransport {
  return {
    kind: 'dev-mailbox',
    connections: 1,
    async send(message) {
      await db('dev_mailbox').insert({ to_address: message.to, subject: message.subject, text: message.text, html: message.html });
      // Development only (no SMTP_URL, not production): lets a newcomer follow the flow from the console.
      logger.info({ to: message.to, links: message.links }, 'development mailbox: message kept at /kehitys/postilaatikko');
    },
    close: () => undefined,
  };
}
