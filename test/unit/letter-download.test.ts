import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PageCounter } from '../../admin/components/letter-download.js';
import { renderActivationLetters, type LetterContent } from '../../src/letters/letter-pdf.js';
import { testConfig } from '../helpers/app.js';

/**
 * The letter page counts finished pages in the PDF as it arrives (admin/components/letter-download.ts),
 * from pdfkit's own output: a mark split between pieces of any size counts once, and the count ends at
 * the number of letters.
 */
const letter = (n: number): LetterContent => ({
  language: 'fi',
  name: `Testi Jäsen ${n}`,
  streetAddress: 'Rantatie 12 B 4',
  postalCode: '33200',
  postOffice: 'TAMPERE',
  memberNumber: String(900000 + n),
  associationName: 'Esimerkkilän Invalidit ry',
  associationEmail: 'toimisto@esimerkkila.example.fi',
  associationPhone: null,
  code: 'ABCD-EFGH-JKMN-PQRS',
  expiresAt: new Date('2026-12-30T21:59:59Z'),
  madeAt: new Date('2026-11-30T10:00:00Z'),
});

test('finished pages are counted whatever size the pieces arrive in', async () => {
  const pdf = await renderActivationLetters(testConfig(), [1, 2, 3, 4, 5, 6, 7].map(letter));
  for (const size of [1, 7, 11, 12, 13, 500, 4096, pdf.length]) {
    const counter = new PageCounter();
    const seen: number[] = [];
    for (let at = 0; at < pdf.length; at += size) seen.push(counter.add(pdf.subarray(at, at + size)));
    assert.equal(counter.pages, 7, `pieces of ${size} bytes`);
    assert.deepEqual([...seen].sort((a, b) => a - b), seen, 'the count only grows');
  }
});
