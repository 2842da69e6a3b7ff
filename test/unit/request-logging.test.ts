import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import express from 'express';
import { createLogger } from '../../src/logger.js';
import { requestLogging } from '../../src/request-logging.js';

/** What a request leaves in the log at a given level: a real Express server on loopback and the app's own logger. */
async function serve(level: string) {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean).map((line: string) => JSON.parse(line)));
      done();
    },
  });
  const app = express();
  app.use(requestLogging(createLogger(level, sink)));
  app.get('/sivu', (_req, res) => res.send('ok'));
  app.get('/palauta-salasana/:token', (req, res) => {
    req.log.warn('something to look into');
    res.send('ok');
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, lines, close: () => new Promise((resolve) => server.close(resolve)) };
}

const TOKEN = 'A'.repeat(43);

test('at info level every request is a line with its id, and the token in a link is redacted', async (t) => {
  const app = await serve('info');
  t.after(app.close);
  const response = await fetch(`${app.base}/sivu`);
  const id = response.headers.get('x-request-id');
  assert.match(id ?? '', /^[0-9a-f-]{36}$/);
  await fetch(`${app.base}/palauta-salasana/${TOKEN}`);
  await new Promise((resolve) => setTimeout(resolve, 50));
  const completed = app.lines.filter((line) => line.msg === 'request completed');
  assert.equal(completed.length, 2);
  assert.equal((completed[0]!.req as { id: string }).id, id);
  assert.ok(!JSON.stringify(app.lines).includes(TOKEN));
});

test('at warn level requests write nothing, yet keep their id, and a warning names its request without the token', async (t) => {
  const app = await serve('warn');
  t.after(app.close);
  const plain = await fetch(`${app.base}/sivu`);
  assert.match(plain.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
  const warned = await fetch(`${app.base}/palauta-salasana/${TOKEN}`);
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(app.lines.length, 1, JSON.stringify(app.lines));
  const [line] = app.lines;
  assert.equal(line!.msg, 'something to look into');
  assert.deepEqual(line!.req, { id: warned.headers.get('x-request-id'), method: 'GET', url: '/palauta-salasana/[redacted]' });
});
