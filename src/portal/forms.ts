import type { Request, Response } from 'express';
import type { Translate } from '../i18n/index.js';

/** One problem with a form: the field it is about (for the summary link) and the message. */
export interface FieldError {
  field: string;
  text: string;
}

/** Renders a page with the GOV.UK error pattern: summary, inline messages, «Virhe:» title prefix. */
export function renderWithErrors(res: Response, view: string, status: number, errors: FieldError[], locals: Record<string, unknown> = {}) {
  res.status(status).render(view, { ...locals, errors, hasErrors: errors.length > 0, errorFor: errorLookup(errors) });
}

export function errorLookup(errors: FieldError[]) {
  return (field: string) => errors.find((error) => error.field === field)?.text;
}

/** Form fields arrive as strings; anything else (arrays, objects, missing) counts as empty. */
export function field(req: Request, name: string): string {
  const value = (req.body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
}

export const minutesUntil = (ms: number) => Math.max(1, Math.ceil(ms / 60_000));

export function t(res: Response): Translate {
  return res.locals.t as Translate;
}

export function clientKey(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}
