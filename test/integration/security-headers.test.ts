import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { orderLinkPaths, startPortal, type Portal } from '../helpers/portal.js';
import { WebClient } from '../helpers/web-client.js';

/** Headers on the answers that no portal or back-office router makes: static files, health, the language redirect. */
let portal: Portal;
before(async () => {
  portal = await startPortal();
});

test('static assets, health answers and their 404s say X-Content-Type-Options: nosniff', async () => {
  const client = new WebClient(portal.base);
  for (const path of ['/static/portal.css', '/static/portal.js', '/static/favicon.svg', '/static/ei-ole.css', '/healthz', '/readyz', '/admin-assets/roboto/400.css', '/admin-assets/bundle/components.bundle.js']) {
    const answer = await client.get(path);
    assert.equal(answer.headers.get('x-content-type-options'), 'nosniff', `${path}: ${answer.status}`);
  }
});

test("a set-password link's language redirect has the link page's headers: no referrer, never cached", async () => {
  const [link] = await orderLinkPaths(portal, 'liisa.esimerkki@example.fi');
  assert.ok(link);
  for (const path of [`${link}?lang=sv`, `/PALAUTA-SALASANA/${link.split('/').at(-1)}?lang=en`]) {
    const answer = await new WebClient(portal.base).get(path);
    assert.equal(answer.status, 303, path);
    assert.equal(answer.headers.get('referrer-policy'), 'no-referrer', path);
    assert.match(answer.headers.get('cache-control') ?? '', /no-store/, path);
    assert.equal(answer.headers.get('x-content-type-options'), 'nosniff', path);
  }
});
