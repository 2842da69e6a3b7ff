import type { ErrorRequestHandler, NextFunction, Request, Response } from 'express';
import type { AdminJS } from './adminjs-runtime.js';

const RESOURCE_PATH = /^\/api\/resources\/([^/]+)(?:\/(?:actions\/([^/]+)|records\/[^/]+\/([^/]+)|bulk\/([^/]+)))?/;

/**
 * A resource or action name that does not exist is answered 404 here: AdminJS itself would throw
 * a TypeError out of its controller and the request would end as a 500.
 */
export function unknownNamesAreNotFound(admin: InstanceType<typeof AdminJS>) {
  return (req: Request, res: Response, next: NextFunction) => {
    const match = RESOURCE_PATH.exec(req.path);
    if (!match || !req.session?.adminUser) return next(); // not logged in: AdminJS sends them to the login page
    const [, resourceId, ...actionNames] = match.map((part) => (part === undefined ? undefined : decodeURIComponent(part)));
    const resource = admin.resources.find((candidate) => candidate.id() === resourceId);
    const actionName = actionNames.find((name) => name !== undefined);
    const known = resource && (actionName === undefined || Object.hasOwn(resource.decorate().actions, actionName));
    if (known) return next();
    // A catalog key (admin/locale), shown in the staff member's language; the name asked for is not echoed.
    res.status(404).json({ notice: { message: 'notFound', type: 'error' } });
  };
}

/**
 * AdminJS answers some refusals with English sentences as the notice. They are turned into its own
 * catalog keys (admin/locale), so that the back-office shows them in the staff member's language.
 */
const ENGLISH_NOTICES: Array<[RegExp, string]> = [
  [/^Record with given id: ".*" cannot be found in resource ".*"$/, 'error404Record'],
  [/^You have to pass a valid recordId to the recordAction$/, 'error404Record'],
];

export function translatedNotices(req: Request, res: Response, next: NextFunction) {
  if (!req.path.startsWith('/api/')) return next();
  const json = res.json.bind(res);
  res.json = ((body: unknown) => {
    const answer = body as { notice?: { message?: unknown; options?: unknown }; record?: { baseError?: { message?: unknown } } } | null;
    const message = answer?.notice?.message;
    const key = typeof message === 'string' ? ENGLISH_NOTICES.find(([pattern]) => pattern.test(message))?.[1] : undefined;
    if (answer?.notice && key) {
      const recordId = req.path.match(/\/records\/([^/]+)\//)?.[1];
      answer.notice = { ...answer.notice, message: key, options: { recordId: recordId ? decodeURIComponent(recordId) : '', resourceId: req.path.split('/')[3] } };
      if (answer.record?.baseError) answer.record.baseError = { ...answer.record.baseError, message: key };
    }
    return json(body);
  }) as typeof res.json;
  next();
}

/**
 * AdminJS throws some of its own refusals out of the route instead of answering them (a bulk
 * action whose records are none that this staff member may see: NotFoundError). They carry a 4xx
 * statusCode; they are answered as such, in JSON, rather than becoming a 500.
 */
export const adminApiErrors: ErrorRequestHandler = (error, _req, res, next) => {
  const status = (error as { statusCode?: unknown } | undefined)?.statusCode;
  if (typeof status !== 'number' || status < 400 || status >= 500 || res.headersSent) return next(error);
  res.status(status).json({ notice: { message: status === 404 ? 'notFound' : 'requestRefused', type: 'error' } });
};
