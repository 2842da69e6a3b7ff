import type { ErrorRequestHandler, NextFunction, Request, Response } from 'express';
import type { Language } from '../src/i18n/index.js';
import { languageOf } from '../src/i18n/language-middleware.js';
import type { AdminJS } from './adminjs-runtime.js';
import { hasStaffText, staffText } from './staff-language.js';

// Routing ignores case: /API/resources/… reaches AdminJS as well.
const RESOURCE_PATH = /^\/api\/resources\/([^/]+)(?:\/(?:actions\/([^/]+)|records\/[^/]+\/([^/]+)|bulk\/([^/]+)))?/i;
const NEW_ACTION = /^\/api\/resources\/[^/]+\/actions\/new\/?$/i;
const BULK_ACTION = /^\/(?:api\/)?resources\/[^/]+\/bulk\/[^/]+\/?$/i;

/**
 * A resource or action name that does not exist is answered 404 here: AdminJS itself would throw
 * a TypeError out of its controller and the request would end as a 500.
 */
export function unknownNamesAreNotFound(admin: InstanceType<typeof AdminJS>) {
  return (req: Request, res: Response, next: NextFunction) => {
    const match = RESOURCE_PATH.exec(req.path);
    if (!match || !req.session?.adminUser) return next(); // not logged in: AdminJS sends them to the login page
    const [, resourceId, ...actionNames] = match.map((part) => (part === undefined ? undefined : safelyDecoded(part)));
    const resource = admin.resources.find((candidate) => candidate.id() === resourceId);
    const actionName = actionNames.find((name) => name !== undefined);
    const known = resource && (actionName === undefined || Object.hasOwn(resource.decorate().actions, actionName));
    if (known) return next();
    // A catalog key (admin/locale), shown in the staff member's language; the name asked for is not echoed.
    res.status(404).json({ notice: { message: 'notFound', type: 'error' } });
  };
}

/**
 * Calls that AdminJS answers by throwing (a 500): its `new` action by GET ("can be invoked only via
 * post") and a bulk action without `recordIds`. They are refused here, in JSON, as what they are.
 */
export function callsAdminJSCannotTake(req: Request, res: Response, next: NextFunction) {
  if (!req.session?.adminUser) return next();
  if (req.method !== 'POST' && NEW_ACTION.test(req.path)) return res.status(405).set('Allow', 'POST').json({ notice: { message: 'requestRefused', type: 'error' } });
  const recordIds = req.query.recordIds;
  if (BULK_ACTION.test(req.path) && (typeof recordIds !== 'string' || recordIds === '')) return res.status(400).json({ notice: { message: 'requestRefused', type: 'error' } });
  next();
}

/**
 * AdminJS answers some refusals with English sentences as the notice. They are turned into its own
 * catalog keys (admin/locale), so that the back-office shows them in the staff member's language.
 */
const ENGLISH_NOTICES: Array<[RegExp, string]> = [
  [/^Record with given id: ".*" cannot be found in resource ".*"$/, 'error404Record'],
  [/^You have to pass a valid recordId to the recordAction$/, 'error404Record'],
];

type Answer = {
  notice?: { message?: unknown; options?: unknown };
  record?: { baseError?: { message?: unknown }; errors?: Record<string, { message?: unknown } | undefined> };
} | null;

/**
 * Notices stay catalog keys (AdminJS looks them up in the page's language). A field's error is
 * written out here, in the staff member's language (the `kieli` cookie): AdminJS shows some fields'
 * errors as they come (a reference such as «Yhdistys»), and looking up a text that is already
 * written out gives back the same text.
 */
export function translatedNotices(req: Request, res: Response, next: NextFunction) {
  if (!/^\/api\//i.test(req.path)) return next();
  const json = res.json.bind(res);
  res.json = ((body: unknown) => {
    const answer = body as Answer;
    const message = answer?.notice?.message;
    const key = typeof message === 'string' ? ENGLISH_NOTICES.find(([pattern]) => pattern.test(message))?.[1] : undefined;
    if (answer?.notice && key) {
      const recordId = req.path.match(/\/records\/([^/]+)\//)?.[1];
      answer.notice = { ...answer.notice, message: key, options: { recordId: recordId ? safelyDecoded(recordId) : '', resourceId: req.path.split('/')[3] } };
      if (answer.record?.baseError) answer.record.baseError = { ...answer.record.baseError, message: key };
    }
    if (answer?.record?.errors) answer.record.errors = writtenOut(answer.record.errors, languageOf(req));
    return json(body);
  }) as typeof res.json;
  next();
}

function writtenOut(errors: NonNullable<NonNullable<Answer>['record']>['errors'], language: Language) {
  return Object.fromEntries(
    Object.entries(errors ?? {}).map(([field, error]) => {
      const key = typeof error?.message === 'string' ? `messages.${error.message}` : undefined;
      return [field, key && hasStaffText(key) ? { ...error, message: staffText(language, key) } : error];
    }),
  );
}

/** The input boundary (src/input-boundary.ts) has refused a malformed %-escape already; this never throws all the same. */
function safelyDecoded(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** A request the back-office refuses (a filter value its column cannot hold, …): a 4xx with a catalog key (admin/locale). */
export class RefusedRequest extends Error {
  readonly statusCode: number;
  constructor(
    readonly key: string,
    statusCode = 400,
  ) {
    super(key);
    this.name = 'RefusedRequest';
    this.statusCode = statusCode;
  }
}

/**
 * AdminJS throws some of its own refusals out of the route instead of answering them (a bulk
 * action whose records are none that this staff member may see: NotFoundError), and the data layer
 * throws RefusedRequest. They carry a 4xx statusCode; they are answered as such, in JSON, rather
 * than becoming a 500 page.
 */
export const adminApiErrors: ErrorRequestHandler = (error, _req, res, next) => {
  const status = (error as { statusCode?: unknown } | undefined)?.statusCode;
  if (typeof status !== 'number' || status < 400 || status >= 500 || res.headersSent) return next(error);
  const key = error instanceof RefusedRequest ? error.key : status === 404 ? 'notFound' : 'requestRefused';
  res.status(status).json({ notice: { message: key, type: 'error' } });
};
