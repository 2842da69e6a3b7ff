import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import express from 'express';
import helmet from 'helmet';
import { portalHeaderOptions, portalHeaders } from '../../src/portal/security.js';

/** The headers of an answer, without those that differ from one answer to the next. */
async function headersOf(url: string): Promise<Record<string, string>> {
  const response = await fetch(url);
  await response.text();
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (!['date', 'etag', 'content-length', 'keep-alive', 'connection'].includes(name)) headers[name] = value;
  });
  return headers;
}

test('the portal sets exactly the headers helmet would set on each request, also in answers after the first', async () => {
  const app = express();
  app.get('/helmet', helmet(portalHeaderOptions), (_req, res) => res.send('ok'));
  app.get('/portal', portalHeaders, (_req, res) => res.send('ok'));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const expected = await headersOf(`${base}/helmet`);
    assert.match(expected['content-security-policy'] ?? '', /script-src 'self'/);
    assert.ok(Object.keys(expected).length > 10, 'helmet sets a dozen headers');
    for (let i = 0; i < 3; i++) assert.deepEqual(await headersOf(`${base}/portal`), expected);
  } finally {
    server.close();
  }
});
