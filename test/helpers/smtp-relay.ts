import { createHash } from 'node:crypto';
import { simpleParser } from 'mailparser';
import net, { type AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { onFileEnd } from './cleanup.js';

/**
 * A real SMTP relay on loopback that a test can misbehave: go down (connections refused), leave
 * connections ungreeted, answer slowly, withhold its reply to a message it has received, or
 * reject recipients for good. A TCP front on the advertised port forwards to an smtp-server
 * behind it, so "down" and "never greets" happen on the wire, as a broken relay does them.
 */
export interface ReceivedMail {
  to: string;
  text: string;
  /** Set-password tokens in the mail, as SHA-256 hex (what set_password_links.token_hash holds). */
  tokenHashes: string[];
  at: number;
}

export interface Relay {
  url: string;
  port: number;
  received: ReceivedMail[];
  /** TCP connections accepted by the front. */
  connections(): number;
  /** Refuses connections (the port is closed) until up(); open connections are cut. */
  down(): Promise<void>;
  up(): Promise<void>;
  /** The next `count` connections are accepted and never greeted. */
  neverGreet(count: number): void;
  /** Each message is answered this many ms after its data arrived. */
  setDelay(ms: number): void;
  /** Recipients matching this are rejected with 550 (a permanent failure). */
  rejectRecipients(pattern: RegExp | undefined): void;
  /** While on, messages are received (and counted) but the reply to them is withheld until release(). */
  hold(on: boolean): void;
  held(): number;
  release(): void;
  /** The most messages that were waiting for their reply at one time: how many a sender had in flight. */
  mostInFlight(): number;
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

const TOKEN = /\/palauta-salasana\/([A-Za-z0-9_-]{43})/g;

export async function startRelay(): Promise<Relay> {
  const received: ReceivedMail[] = [];
  let delayMs = 0;
  let rejected: RegExp | undefined;
  let holding = false;
  let heldReplies: Array<() => void> = [];
  let inFlight = 0;
  let mostInFlight = 0;
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    disableReverseLookup: true,
    logger: false,
    onRcptTo(address, _session, callback) {
      if (rejected?.test(address.address)) return callback(Object.assign(new Error('5.1.1 Recipient address rejected: user unknown'), { responseCode: 550 }));
      callback();
    },
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const text = parsed.text ?? '';
          const to = [parsed.to].flat().map((a) => a?.text ?? '').join(', ');
          const tokenHashes = [...text.matchAll(TOKEN)].map((m) => createHash('sha256').update(m[1]!, 'utf8').digest('hex'));
          received.push({ to, text, tokenHashes, at: Date.now() });
          inFlight++;
          mostInFlight = Math.max(mostInFlight, inFlight);
          const reply = () => {
            inFlight--;
            callback();
          };
          if (holding) heldReplies.push(reply);
          else if (delayMs > 0) setTimeout(reply, delayMs);
          else reply();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const backPort = (smtp.server.address() as AddressInfo).port;

  let silent = 0;
  let accepted = 0;
  const sockets = new Set<net.Socket>();
  const front = net.createServer((client) => {
    accepted++;
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    if (silent > 0) {
      silent--;
      return; // accepted, never greeted
    }
    const back = net.connect(backPort, '127.0.0.1');
    sockets.add(back);
    back.on('close', () => sockets.delete(back));
    back.on('error', () => client.destroy());
    client.on('close', () => back.destroy());
    back.on('close', () => client.destroy());
    client.pipe(back).pipe(client);
  });
  const listen = (port: number) => new Promise<void>((resolve, reject) => {
    front.once('error', reject);
    front.listen(port, '127.0.0.1', () => {
      front.off('error', reject);
      resolve();
    });
  });
  await listen(0);
  const port = (front.address() as AddressInfo).port;
  let isUp = true;

  const relay: Relay = {
    url: `smtp://127.0.0.1:${port}`,
    port,
    received,
    connections: () => accepted,
    async down() {
      if (!isUp) return;
      isUp = false;
      const closed = new Promise<void>((resolve) => front.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
    async up() {
      if (isUp) return;
      await listen(port);
      isUp = true;
    },
    neverGreet(count) {
      silent = count;
    },
    setDelay(ms) {
      delayMs = ms;
    },
    rejectRecipients(pattern) {
      rejected = pattern;
    },
    hold(on) {
      holding = on;
    },
    held: () => heldReplies.length,
    mostInFlight: () => mostInFlight,
    release() {
      const replies = heldReplies;
      heldReplies = [];
      for (const reply of replies) reply();
    },
    async waitFor(count, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} messages at the relay, got ${received.length}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return received;
    },
    async close() {
      relay.release();
      await relay.down();
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    },
  };
  onFileEnd(() => relay.close());
  return relay;
}
