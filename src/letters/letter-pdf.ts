import path from 'node:path';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import QRCode from 'qrcode';
import type { Config } from '../config.js';
import { translator, type Language } from '../i18n/index.js';
import { formatCode } from '../passwords/activation-codes.js';
import { projectRoot } from '../project-root.js';

/** What one activation letter says; one A4 page each. */
export interface LetterContent {
  language: Language;
  name: string;
  streetAddress: string;
  postalCode: string;
  postOffice: string;
  memberNumber: string;
  associationName: string;
  associationEmail: string;
  associationPhone: string | null;
  code: string;
  expiresAt: Date;
  madeAt: Date;
}

const mm = (millimetres: number) => (millimetres * 72) / 25.4;

/**
 * Where things go on the page, in millimetres from the top left of the A4 sheet. The address field
 * is where a C5 or C65 window envelope shows it (Finnish postal guidelines, SFS 2487): the window
 * begins 20 mm from the left edge and 45 mm from the top; the text keeps 5 mm inside it. Everything
 * else stays out of the window and out of the top third that folds behind it (99 mm).
 */
const LAYOUT = { left: 20, right: 20, header: 12, window: { x: 20, y: 45, width: 85, height: 40 }, inset: 5, body: 100, qrSize: 38 };
const SIZE = { body: 13, heading: 18, subheading: 14, code: 20, small: 12 };

// Shipped with the app (an npm package), never the system's fonts: Roboto's Latin subset has å, ä, ö.
const FONT_DIR = path.join(projectRoot, 'node_modules', '@fontsource', 'roboto', 'files');
const FONTS = { regular: path.join(FONT_DIR, 'roboto-latin-400-normal.woff'), bold: path.join(FONT_DIR, 'roboto-latin-700-normal.woff') };

/** The short address printed for typing, and the QR code's address with the member number filled in. */
export function activationAddresses(config: Config, memberNumber: string, language: Language) {
  const url = new URL('/aktivoi', config.publicUrl);
  const short = `${url.host}${url.pathname}`;
  url.searchParams.set('jasennumero', memberNumber);
  if (language !== 'fi') url.searchParams.set('lang', language);
  return { short, qr: url.toString() };
}

export async function renderActivationLetters(config: Config, letters: LetterContent[]): Promise<Buffer> {
  const doc = await newDocument(letters);
  const done = collect(doc);
  for (const letter of letters) drawLetter(doc, config, letter);
  doc.end();
  return done;
}

/**
 * The letters written into `out` a page at a time, as fast as `out` takes them: the first bytes of a
 * batch of thousands leave at once, and it is never whole in memory. Resolves when `out` has all of
 * it; rejects when a page fails to draw or `out` closes first (the reader went away), and draws no
 * more pages then.
 */
export async function writeActivationLetters(config: Config, letters: LetterContent[], out: Writable): Promise<void> {
  const doc = await newDocument(letters);
  doc.pipe(out);
  for (const letter of letters) {
    drawLetter(doc, config, letter);
    // A page is drawn synchronously: between pages the process serves other requests and the pipe
    // hands the page on, so the bytes leave as they are made, not all at the end.
    await new Promise((resolve) => setImmediate(resolve));
    if (out.destroyed) throw new Error('the reader closed the connection');
    if (out.writableNeedDrain) await drained(out);
  }
  doc.end();
  await finished(out);
}

/** pdfkit (with its font engine) is loaded when the first letter is made: most processes never make one, and it was a tenth of the start. */
async function newDocument(letters: LetterContent[]): Promise<PDFKit.PDFDocument> {
  const { default: PDFDocument } = await import('pdfkit');
  const language = letters[0]?.language ?? 'fi';
  const doc = new PDFDocument({ size: 'A4', margin: 0, autoFirstPage: false, lang: language, info: { Title: translator(language)('activate.letter.title') } });
  doc.registerFont('regular', FONTS.regular);
  doc.registerFont('bold', FONTS.bold);
  return doc;
}

/** Until `out` wants more; a reader that goes away meanwhile ends the wait with an error (an HTTP response only closes). */
function drained(out: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const settle = (error?: Error) => {
      out.off('drain', onDrain);
      out.off('close', onClose);
      if (error) reject(error);
      else resolve();
    };
    const onDrain = () => settle();
    const onClose = () => settle(new Error('the reader closed the connection'));
    out.once('drain', onDrain);
    out.once('close', onClose);
  });
}

function collect(doc: PDFKit.PDFDocument): Promise<Buffer> {
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  return new Promise((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}

function drawLetter(doc: PDFKit.PDFDocument, config: Config, letter: LetterContent) {
  const t = translator(letter.language);
  const addresses = activationAddresses(config, letter.memberNumber, letter.language);
  const width = doc.page?.width ?? mm(210);
  doc.addPage({ size: 'A4', margin: 0 });
  doc.fillColor('black');
  const textWidth = width - mm(LAYOUT.left + LAYOUT.right);

  // Header: who writes (the federation, for the association), and the date.
  doc.font('bold').fontSize(SIZE.subheading).text(config.federationName, mm(LAYOUT.left), mm(LAYOUT.header), { width: mm(100) });
  doc.font('regular').fontSize(SIZE.small).text(letter.associationName, { width: mm(100) });
  doc.text(formatDate(letter.madeAt, letter.language), mm(130), mm(LAYOUT.header), { width: mm(60), align: 'right' });

  // The address, as the post reads it through the window: name, street, postal code and post office.
  const { window, inset } = LAYOUT;
  doc.font('regular').fontSize(SIZE.body).text([letter.name, letter.streetAddress, `${letter.postalCode} ${letter.postOffice.toUpperCase()}`].join('\n'), mm(window.x + inset), mm(window.y + inset), { width: mm(window.width - 2 * inset), height: mm(window.height - 2 * inset), lineGap: 2 });
  doc.font('bold').fontSize(SIZE.subheading).text(t('activate.letter.title'), mm(120), mm(window.y + inset), { width: mm(70) });

  // The body, below the first fold.
  doc.font('bold').fontSize(SIZE.heading).text(t('activate.letter.heading'), mm(LAYOUT.left), mm(LAYOUT.body), { width: textWidth });
  doc.moveDown(0.5).font('regular').fontSize(SIZE.body);
  doc.text(`${t('activate.letter.greeting', { name: letter.name })} ${t('activate.letter.intro', { service: t('layout.serviceName', { federation: config.federationName }) })}`, { width: textWidth, lineGap: 2 });
  doc.moveDown(0.7).font('bold').fontSize(SIZE.subheading).text(t('activate.letter.stepsHeading'), { width: textWidth });
  doc.moveDown(0.3).font('regular').fontSize(SIZE.body);
  doc.list([t('activate.letter.step1', { address: addresses.short }), t('activate.letter.step2'), t('activate.letter.step3')], { width: textWidth, listType: 'numbered', lineGap: 2, paragraphGap: 4, textIndent: mm(7) });

  drawCodeBox(doc, letter, addresses.qr, textWidth);

  doc.font('regular').fontSize(SIZE.body).text(t('activate.letter.keepSafe'), mm(LAYOUT.left), doc.y, { width: textWidth, lineGap: 2 });
  doc.moveDown(0.7).font('bold').fontSize(SIZE.subheading).text(t('activate.letter.helpHeading'), { width: textWidth });
  doc.moveDown(0.3).font('regular').fontSize(SIZE.body);
  const association = { association: letter.associationName, phone: letter.associationPhone, email: letter.associationEmail };
  doc.text(t(letter.associationPhone ? 'activate.letter.helpAssociation' : 'activate.letter.helpAssociationNoPhone', association), { width: textWidth, lineGap: 2 });
  doc.text(t('activate.letter.helpFederation', { email: config.memberServicesEmail }), { width: textWidth, lineGap: 2 });
}

/** Member number, code and validity framed on the left, the QR code beside them. */
function drawCodeBox(doc: PDFKit.PDFDocument, letter: LetterContent, qrUrl: string, textWidth: number) {
  const t = translator(letter.language);
  const top = doc.y + mm(5);
  const qrSize = mm(LAYOUT.qrSize);
  const boxWidth = textWidth - qrSize - mm(8);
  const x = mm(LAYOUT.left) + mm(4);
  doc.font('regular').fontSize(SIZE.body).text(t('activate.letter.memberNumber'), x, top + mm(4), { width: boxWidth - mm(8) });
  doc.font('bold').fontSize(SIZE.code).text(letter.memberNumber, { width: boxWidth - mm(8) });
  doc.moveDown(0.3).font('regular').fontSize(SIZE.body).text(t('activate.letter.code'), { width: boxWidth - mm(8) });
  doc.font('bold').fontSize(SIZE.code).text(formatCode(letter.code), { width: boxWidth - mm(8), characterSpacing: 1.5 });
  doc.moveDown(0.3).font('regular').fontSize(SIZE.body).text(t('activate.letter.validUntil', { date: formatDate(new Date(letter.expiresAt.getTime() - 1), letter.language) }), { width: boxWidth - mm(8), lineGap: 2 });
  const bottom = Math.max(doc.y + mm(4), top + qrSize);
  doc.lineWidth(1.5).strokeColor('black').rect(mm(LAYOUT.left), top, boxWidth, bottom - top).stroke();

  drawQrCode(doc, qrUrl, mm(LAYOUT.left) + textWidth - qrSize, top, qrSize);
  doc.x = mm(LAYOUT.left);
  doc.y = bottom + mm(5);
}

/**
 * The QR code drawn as vector squares rather than an embedded image: sharp at any printer's
 * resolution, and a page draws in a fraction of the time (a PNG made and decoded per page took most
 * of a 1,000-letter batch's time). Error correction M survives a crease; the quiet zone of four
 * modules is kept white around it. Each row's dark runs are one rectangle, all filled at once.
 */
function drawQrCode(doc: PDFKit.PDFDocument, url: string, x: number, y: number, size: number) {
  const { modules } = QRCode.create(url, { errorCorrectionLevel: 'M' });
  const quiet = 4;
  const cell = size / (modules.size + 2 * quiet);
  doc.save().rect(x, y, size, size).fill('white');
  for (let row = 0; row < modules.size; row++) {
    for (let col = 0; col < modules.size; ) {
      if (!modules.get(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < modules.size && modules.get(row, col)) col++;
      doc.rect(x + (quiet + start) * cell, y + (quiet + row) * cell, (col - start) * cell, cell);
    }
  }
  doc.fill('black').restore();
}

const DATE_LOCALES: Record<Language, string> = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' };

/** A calendar date in Finland's time, as each language writes it (3.12.2026, 3.12.2026, 3 December 2026). */
export function formatDate(date: Date, language: Language): string {
  return new Intl.DateTimeFormat(DATE_LOCALES[language], { timeZone: 'Europe/Helsinki', day: 'numeric', month: language === 'en' ? 'long' : 'numeric', year: 'numeric' }).format(date);
}
