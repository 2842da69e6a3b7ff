import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { orderLinkPaths, startPortal, type Portal } from '../helpers/portal.js';
import { visibleText, WebClient } from '../helpers/web-client.js';

/**
 * The «PALAUTA SALASANA» form refuses what attackers try first: breached and common passwords,
 * Finnish words and names with digits after them, and a month or season with a year. Still no
 * composition rules: a long phrase of the person's own passes.
 */
let portal: Portal;
before(async () => {
  portal = await startPortal();
});

const REFUSED = /Tämä salasana on helppo arvata/;

test('the passwords the attack found accepted are refused on the set-password form, and a phrase of one\'s own is not', async () => {
  const [path] = await orderLinkPaths(portal, 'liisa.esimerkki@example.fi');
  assert.ok(path);
  const client = new WebClient(portal.base);
  await client.get(path);
  for (const password of ['saatana12345', 'Saatana1234!', 'rakkaus12345', 'Kesäkuu2024!', 'Syyskuu2025!', 'Talvi2024!!!', 'Perkele12345', 'P4ssw0rd2024!', 'Korhonen1234!', 'Juhani123456', 'jalkapallo2024']) {
    const answer = await client.post(path, { password });
    assert.equal(answer.status, 400, `${password}: ${answer.status}`);
    assert.match(visibleText(answer.text), REFUSED, password);
  }
  const done = await client.post(path, { password: 'Mökin laiturilla kuikka huutaa' });
  assert.equal(done.status, 200);
  assert.match(visibleText(done.text), /Salasana on vaihdettu/);
});
