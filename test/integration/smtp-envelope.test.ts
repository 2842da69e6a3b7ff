import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { smtpTransport } from '../../src/mail/transport.js';

/**
 * The SMTP transport composes each message whole before sending it (src/mail/transport.ts): the relay
 * must still get the bare sender address and the recipient in the envelope, and a message with the
 * headers nodemailer gives (From with its name, a Message-ID of the sender's domain, both parts).
 */
test('a message reaches the relay with the bare addresses in its envelope and whole, as nodemailer composes it', async () => {
  const received: Array<{ from: string; to: string[]; raw: Buffer }> = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    closeTimeout: 100,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks) });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const transport = smtpTransport(`smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`, 'Invalidiliitto <noreply@invalidiliitto.example>', { connections: 1 });
  try {
    const text = `Hei Äiti,\n.\nrivi joka alkaa pisteellä ja on pitkä ${'x'.repeat(200)}\n`;
    for (const to of ['matti@example.fi', 'maija@example.fi']) await transport.send({ to, subject: 'Salasanan asettaminen – ÅÄÖ', text, html: `<p>${text}</p>`, links: [] });
    assert.deepEqual(received.map((r) => [r.from, r.to]), [['noreply@invalidiliitto.example', ['matti@example.fi']], ['noreply@invalidiliitto.example', ['maija@example.fi']]]);
    const parsed = await Promise.all(received.map((r) => simpleParser(r.raw)));
    for (const mail of parsed) {
      assert.equal(mail.from?.value[0]?.name, 'Invalidiliitto');
      assert.equal(mail.subject, 'Salasanan asettaminen – ÅÄÖ');
      assert.equal(mail.text, text, 'the text part whole, a line of a lone dot included');
      assert.match(String(mail.html), /rivi joka alkaa pisteellä/);
      assert.match(mail.messageId ?? '', /^<[0-9a-f-]{36}@invalidiliitto\.example>$/);
    }
    assert.notEqual(parsed[0]!.messageId, parsed[1]!.messageId, 'every message its own Message-ID');
  } finally {
    transport.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});
