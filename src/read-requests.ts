import type { Request } from 'express';

/**
 * Requests that only read (GET, HEAD, OPTIONS: csrf-csrf's own ignored methods): they carry no form,
 * so neither the input boundary's form parser nor the CSRF check has anything to do for them.
 */
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function onlyReads(req: Request): boolean {
  return READ_METHODS.has(req.method);
}
