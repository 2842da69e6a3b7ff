/**
 * A batch of activation letters fetched by the page that asked for it, so that the page can say how
 * far it has got: admin/letter-routes.ts sends the PDF a page at a time, with the number of pages in
 * X-Letter-Count, and each finished page of a PDF written by pdfkit carries the dictionary entry
 * `/Type /Page` followed by a newline (the page tree's own entry is `/Type /Pages`).
 */
const PAGE_MARK = '/Type /Page\n';

/** Counts finished pages in a PDF arriving in chunks; a mark split between two chunks counts once. */
export class PageCounter {
  private tail = '';
  private readonly decoder = new TextDecoder('latin1');
  pages = 0;

  add(chunk: Uint8Array): number {
    const text = this.tail + this.decoder.decode(chunk, { stream: true });
    for (let at = text.indexOf(PAGE_MARK); at !== -1; at = text.indexOf(PAGE_MARK, at + PAGE_MARK.length)) this.pages++;
    // Shorter than a mark: a whole mark is never in the tail, so none is counted twice.
    this.tail = text.slice(-(PAGE_MARK.length - 1));
    return this.pages;
  }
}

export type LetterDownload = { kind: 'done'; file: Blob; fileName: string; pages: number } | { kind: 'refused'; message: string } | { kind: 'notLetters' };

/** Posts the form's fields and reads the PDF as it comes, telling `onPages` after every piece. */
export async function downloadLetters(form: HTMLFormElement, onPages: (done: number, total: number | null) => void): Promise<LetterDownload> {
  const body = new URLSearchParams();
  for (const field of Array.from(form.elements)) if (field instanceof HTMLInputElement && field.name) body.append(field.name, field.value);
  const response = await fetch(form.action, { method: 'POST', body, credentials: 'same-origin' });
  if (!response.ok || !response.body) return { kind: 'refused', message: await response.text() };
  // Anything but a PDF (the login page, when the session ended while the page stood open) made no letters.
  if (!response.headers.get('Content-Type')?.startsWith('application/pdf')) return { kind: 'notLetters' };
  const total = Number(response.headers.get('X-Letter-Count')) || null;
  const fileName = /filename="([^"]+)"/.exec(response.headers.get('Content-Disposition') ?? '')?.[1] ?? 'aktivointikirjeet.pdf';
  const counter = new PageCounter();
  const chunks: Uint8Array[] = [];
  const reader = response.body.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    chunks.push(value);
    onPages(counter.add(value), total);
  }
  if (total !== null && counter.pages < total) throw new Error(`the file broke off after ${counter.pages} of ${total} letters`);
  // The stream's chunks are plain bytes; TypeScript's DOM types only doubt what buffer is behind them.
  return { kind: 'done', file: new Blob(chunks as BlobPart[], { type: 'application/pdf' }), fileName, pages: counter.pages };
}

/** Hands the finished file to the browser as a download, as a link to the PDF would. */
export function saveFile(url: string, fileName: string) {
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
}
