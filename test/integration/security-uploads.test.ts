import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { before, test } from 'node:test';
import { demoIds, StaffClient } from '../helpers/admin-api.js';
import { onFileEnd } from '../helpers/cleanup.js';
import { FEDERATION } from '../helpers/demo-accounts.js';
import { startPortal, type Portal } from '../helpers/portal.js';
import { rawRequest } from '../helpers/raw-http.js';

/**
 * Nothing anyone sends to the back-office is written to disk, and nothing at all is read before
 * login: the app gets a temp folder of its own here (formidable and friends write into
 * os.tmpdir()), which must stay empty whatever is posted.
 */
const tmp = mkdtempSync(path.join(os.tmpdir(), 'asp-upload-test-'));
process.env.TMPDIR = tmp;
assert.equal(os.tmpdir(), tmp);
onFileEnd(() => rmSync(tmp, { recursive: true, force: true }));

let portal: Portal;
let ids: Awaited<ReturnType<typeof demoIds>>;
const TEN_MB = 10 * 1024 * 1024;

before(async () => {
  portal = await startPortal();
  ids = await demoIds(portal.db);
});

function multipartHead(boundary: string, field: string, filename: string) {
  return Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`);
}

/**
 * Posts a 10 MB file like `curl -F file=@10MB.bin` from a non-browser that claims to be the
 * back-office's own page. Sends the first 64 kB and waits for the answer before sending more:
 * resolves with the answer and whether it came before the body was complete.
 */
function postLargeFile(base: string, target: string, extraHeaders: Record<string, string> = {}) {
  const boundary = 'x-boundary-123';
  const head = multipartHead(boundary, 'file', '10MB.bin');
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const { hostname, port } = new URL(base);
  return new Promise<{ status: number; location?: string; beforeBodyEnd: boolean; ms: number }>((resolve, reject) => {
    const started = Date.now();
    let sent = 0;
    let answered = false;
    const request = http.request({
      host: hostname,
      port,
      method: 'POST',
      path: target,
      headers: {
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': String(head.length + TEN_MB + tail.length),
        'sec-fetch-site': 'same-origin',
        ...extraHeaders,
      },
    });
    request.on('response', (response) => {
      answered = true;
      const beforeBodyEnd = sent < TEN_MB;
      response.resume();
      request.destroy();
      resolve({ status: response.statusCode ?? 0, location: response.headers.location, beforeBodyEnd, ms: Date.now() - started });
    });
    request.on('error', (error) => {
      if (!answered) reject(error);
    });
    request.write(head);
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    request.write(chunk);
    sent += chunk.length;
    // The rest only if no answer came within 3 s: an app that reads the whole body first answers after it.
    setTimeout(() => {
      if (answered) return;
      for (; sent < TEN_MB; sent += chunk.length) request.write(chunk);
      request.end(tail);
    }, 3000);
  });
}

const tempFiles = () => readdirSync(tmp);

test('a 10 MB upload to the back-office without a session is refused before its body is read, and leaves no file', async () => {
  for (const target of ['/admin/anything', '/admin/api/resources/members/actions/new', '/admin/login', '/admin/logout']) {
    const answer = await postLargeFile(portal.base, target);
    assert.ok([302, 303, 401, 403, 413].includes(answer.status), `${target}: ${answer.status}`);
    assert.ok(answer.beforeBodyEnd, `${target}: answered only after the whole 10 MB had been sent (${answer.ms} ms)`);
    assert.ok(answer.ms < 2000, `${target}: answered in ${answer.ms} ms`);
  }
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.deepEqual(tempFiles(), [], 'the temp folder gained files');
});

test('the whole 10 MB sent without a session (as curl -F does) is answered with a redirect and leaves no file', async () => {
  const boundary = 'curl-boundary';
  const body = Buffer.concat([multipartHead(boundary, 'file', '10MB.bin'), Buffer.alloc(TEN_MB, 0x62), Buffer.from(`\r\n--${boundary}--\r\n`)]);
  const answer = await rawRequest(portal.base, {
    method: 'POST',
    target: '/admin/anything',
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'sec-fetch-site': 'same-origin' },
    body,
  });
  assert.ok([302, 303, 403].includes(answer.status), String(answer.status));
  assert.deepEqual(tempFiles(), []);
});

test('after login, a file, an octet-stream body or an oversized field is refused in JSON, and nothing is written to disk', async () => {
  const federation = await StaffClient.login(portal.base, ...FEDERATION);
  const edit = `/admin/api/resources/members/records/${ids.member('100003')}/edit`;
  const before = await portal.db('members').where({ id: ids.member('100003') }).first();

  const withFile = new FormData();
  withFile.append('first_name', 'Tiedosto');
  withFile.append('file', new Blob([Buffer.alloc(2 * 1024 * 1024, 0x63)]), 'big.bin');
  const fileAnswer = await federation.request(edit, { method: 'POST', body: withFile });
  assert.ok(fileAnswer.status >= 400 && fileAnswer.status < 500, `a file: ${fileAnswer.status}`);
  assert.equal(fileAnswer.json?.notice?.type, 'error', fileAnswer.text.slice(0, 200));

  const bigField = await federation.post(edit, { first_name: 'x'.repeat(300 * 1024) });
  assert.equal(bigField.status, 413, bigField.text.slice(0, 200));
  assert.equal(bigField.json?.notice?.type, 'error');

  const cookie = `asiointi-admin=${federation.cookie()}`;
  const octets = await rawRequest(portal.base, {
    method: 'POST',
    target: edit,
    headers: { cookie, 'content-type': 'application/octet-stream', 'sec-fetch-site': 'same-origin', origin: portal.base },
    body: Buffer.alloc(512 * 1024, 0x64),
  });
  assert.ok(octets.status >= 400 && octets.status < 500, `octet-stream: ${octets.status}`);

  assert.deepEqual(await portal.db('members').where({ id: ids.member('100003') }).first(), before, 'the member did not change');
  assert.deepEqual(tempFiles(), []);
});

test('after login, AdminJS forms (multipart) and its JSON actions still work, with small bodies parsed in memory', async () => {
  const federation = await StaffClient.login(portal.base, ...FEDERATION);
  const teemu = ids.member('100003');
  const saved = await federation.post(`/admin/api/resources/members/records/${teemu}/edit`, { first_name: 'Teemu-Tapani', last_name: 'Testaaja' });
  assert.equal(saved.status, 200, saved.text.slice(0, 200));
  assert.equal(saved.json.notice.type, 'success', saved.text.slice(0, 300));
  assert.equal((await portal.db('members').where({ id: teemu }).first()).first_name, 'Teemu-Tapani');

  const json = await federation.web.request(`/admin/api/resources/members/records/${teemu}/edit`, {
    method: 'POST',
    body: JSON.stringify({ first_name: 'Teemu' }),
    headers: { 'content-type': 'application/json', origin: portal.base, 'sec-fetch-site': 'same-origin' },
  });
  assert.equal(json.status, 200, json.text.slice(0, 200));
  assert.equal((await portal.db('members').where({ id: teemu }).first()).first_name, 'Teemu');
  assert.deepEqual(tempFiles(), []);
});
