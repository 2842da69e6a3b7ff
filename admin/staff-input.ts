import express, { type NextFunction, type Request, type Response } from 'express';
import { isCleanPercentEncoded, isCleanText } from '../src/input-boundary.js';

/**
 * What a back-office request may carry, read only once a staff member is logged in.
 *
 * @adminjs/express would parse every body with express-formidable before its own login check
 * (files up to 200 MB each into the temp folder, never removed). Here the body is parsed first
 * and express-formidable, finding it parsed, steps aside: without a session nothing is read at
 * all; with one, a small body (AdminJS's forms, multipart, urlencoded or JSON) is parsed in
 * memory, and a file, a NUL, invalid UTF-8 or a key naming an Object.prototype member
 * (`__proto__.x`, `toString`, `constructor.x`, which AdminJS's payload and filter handling
 * trips over) is answered with a JSON 4xx. The back-office has no uploads.
 */
export const STAFF_BODY_LIMIT = 64 * 1024;
const MAX_DEPTH = 16;

const readBody = express.raw({ type: () => true, limit: STAFF_BODY_LIMIT, inflate: false });

type Fields = Record<string, unknown>;
interface FormidableRequest extends Request {
  fields?: Fields;
  files?: Record<string, never>;
  express_formidable?: { parsed: boolean };
}

class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly key: string,
  ) {
    super(key);
  }
}

export function staffInput(req: Request, res: Response, next: NextFunction) {
  if (!req.session?.adminUser) {
    // Not read: AdminJS sends them to the login page, and the connection is closed after that
    // answer rather than kept open to take in the rest of an upload.
    if (hasBody(req)) res.setHeader('Connection', 'close');
    return parsed(req, {}, next);
  }
  if (!isSafeQuery(req.url)) return refuse(res, new Refusal(400, 'requestRefused'));
  if (!hasBody(req)) return parsed(req, {}, next);
  readBody(req, res, (error?: unknown) => {
    if (error) {
      const tooLarge = (error as { status?: unknown }).status === 413;
      return refuse(res, tooLarge ? new Refusal(413, 'requestTooLarge') : new Refusal(400, 'requestRefused'));
    }
    parseFields(req.get('content-type') ?? '', req.body as Buffer).then(
      (fields) => parsed(req, fields, next),
      (refusal: unknown) => refuse(res, refusal instanceof Refusal ? refusal : new Refusal(400, 'requestRefused')),
    );
  });
}

function parsed(req: Request, fields: Fields, next: NextFunction) {
  Object.assign(req as FormidableRequest, { fields, files: {}, express_formidable: { parsed: true } });
  req.body = fields;
  next();
}

function refuse(res: Response, refusal: Refusal) {
  res.status(refusal.status).json({ notice: { message: refusal.key, type: 'error' } });
}

function hasBody(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

async function parseFields(contentType: string, raw: Buffer): Promise<Fields> {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (!['multipart/form-data', 'application/x-www-form-urlencoded', 'application/json'].includes(type)) throw new Refusal(415, 'requestRefused');
  // A file's bytes would fail this too: the back-office takes text only.
  if (!isCleanText(raw)) throw new Refusal(400, 'invalidCharacters');
  const text = raw.toString('utf8');
  let entries: Array<[string, unknown]>;
  if (type === 'application/json') {
    entries = Object.entries(parseJsonObject(text));
  } else if (type === 'application/x-www-form-urlencoded') {
    if (!isCleanPercentEncoded(text, { asciiOnly: false })) throw new Refusal(400, 'invalidCharacters');
    entries = [...new URLSearchParams(text)];
  } else {
    // The platform's own multipart parser (undici), in memory: the body is at most STAFF_BODY_LIMIT.
    const form = await new Request('http://back-office.invalid/', { method: 'POST', headers: { 'content-type': contentType }, body: new Uint8Array(raw) }).formData().catch(() => {
      throw new Refusal(400, 'requestRefused');
    });
    entries = [];
    form.forEach((value, key) => entries.push([key, value]));
    if (entries.some(([, value]) => typeof value !== 'string')) throw new Refusal(400, 'requestRefused');
  }
  const fields: Fields = {};
  for (const [key, value] of entries) {
    if (isUnsafeKey(key)) throw new Refusal(400, 'requestRefused');
    fields[key] = value; // the last of repeated keys, as express-formidable did
  }
  return fields;
}

/** A JSON object whose keys are safe and whose strings hold no NUL, at most MAX_DEPTH deep. */
function parseJsonObject(text: string): Fields {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Refusal(400, 'requestRefused');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Refusal(400, 'requestRefused');
  const pending: Array<[unknown, number]> = [[value, 0]];
  while (pending.length > 0) {
    const [item, depth] = pending.pop()!;
    if (typeof item === 'string' && item.includes('\u0000')) throw new Refusal(400, 'invalidCharacters');
    if (item === null || typeof item !== 'object') continue;
    if (depth >= MAX_DEPTH) throw new Refusal(400, 'requestRefused');
    for (const [key, child] of Object.entries(item)) {
      if (isUnsafeKey(key)) throw new Refusal(400, 'requestRefused');
      pending.push([child, depth + 1]);
    }
  }
  return value as Fields;
}

/** AdminJS reads each query parameter as one string: a repeated one (an array to Express) it trips over. */
function isSafeQuery(url: string): boolean {
  const keys = [...new URLSearchParams(url.split('?').slice(1).join('?')).keys()];
  return new Set(keys).size === keys.length && !keys.some(isUnsafeKey);
}

/** `__proto__.x`, `toString`, `filters.constructor`: a key with any dot-separated part that names an Object.prototype member. */
function isUnsafeKey(key: string): boolean {
  return key.split('.').some((part) => part === 'prototype' || part in Object.prototype) || key.includes('\u0000');
}
