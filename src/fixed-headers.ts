import type { NextFunction, Request, Response } from 'express';

/**
 * The headers a middleware sets, worked out once and then set as they are on every answer. For
 * helmet with constant directives (no nonce, nothing read from the request) they never change, yet
 * helmet would rebuild them, the CSP string included, through a dozen middlewares on every request:
 * about 5 % of a page's CPU. It must set its headers synchronously and call next (helmet does).
 */
export function fixedHeaders(middleware: (req: Request, res: Response, next: NextFunction) => void) {
  const set: Array<[string, string | number | readonly string[]]> = [];
  const removed: string[] = [];
  let finished = false;
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) => set.push([name, value]),
    removeHeader: (name: string) => removed.push(name),
  };
  middleware({} as Request, recorder as unknown as Response, (error?: unknown) => {
    if (error) throw error;
    finished = true;
  });
  if (!finished) throw new Error('fixedHeaders: the middleware did not finish synchronously');
  return (_req: Request, res: Response, next: NextFunction) => {
    for (const name of removed) res.removeHeader(name);
    for (const [name, value] of set) res.setHeader(name, value);
    next();
  };
}
