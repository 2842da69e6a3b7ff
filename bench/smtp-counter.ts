import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/**
 * An SMTP server on loopback that only counts: no parsing, no storage, so it is never what limits
 * the send rate. smtp-server still waits 100 ms before greeting each new connection (its check for
 * clients that talk too early); pooled connections pay that once per connection, not per mail.
 */
export interface SmtpCounter {
  url: string;
  count(): number;
  /** When the first and the latest message arrived (performance.now()). */
  firstAt(): number | undefined;
  lastAt(): number | undefined;
  close(): Promise<void>;
}

export async function startSmtpCounter(): Promise<SmtpCounter> {
  let received = 0;
  let first: number | undefined;
  let last: number | undefined;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    disableReverseLookup: true,
    logger: false,
    size: 1024 * 1024,
    closeTimeout: 100,
    onData(stream, _session, callback) {
      stream.on('end', () => {
        received++;
        last = performance.now();
        first ??= last;
        callback();
      });
      stream.resume();
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    count: () => received,
    firstAt: () => first,
    lastAt: () => last,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
