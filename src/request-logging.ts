import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { pinoHttp } from 'pino-http';
import { redactUrl, type Logger } from './logger.js';

type LoggedRequest = { id: string; method: string; url: string; originalUrl?: string };
/** Only method, redacted URL and the request id: no headers at all, so cookies and authorization never reach the log. */
const describeRequest = (req: LoggedRequest) => ({ id: req.id, method: req.method, url: redactUrl(req.originalUrl ?? req.url) });

function newRequestId(res: ServerResponse): string {
  const id = randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

/**
 * One line per request with a request id (status and timing too) when the log level is info or
 * more detailed. Above it (warn, error) there are no request lines to write, so pino-http's work per
 * request (a child logger, timing, the finish hook: ≈ 8 % of a page's CPU) is skipped: the request
 * still gets its id, and a warning or error logged for it still names the request.
 */
export function requestLogging(logger: Logger) {
  if (!logger.isLevelEnabled('info')) return requestIdOnly(logger);
  return pinoHttp({
    logger,
    genReqId: (_req: IncomingMessage, res: ServerResponse) => newRequestId(res),
    autoLogging: { ignore: (req) => req.url === '/healthz' },
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
    serializers: {
      // originalUrl: a router mounted at /admin has cut its own part off req.url by the time the line is written.
      req: describeRequest,
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    wrapSerializers: false,
  });
}

function requestIdOnly(logger: Logger) {
  const prototypesWithLog = new WeakSet<object>();
  return (req: Request, res: Response, next: NextFunction) => {
    (req as unknown as LoggedRequest).id = newRequestId(res);
    // req.log is a getter on the requests' prototype (Express's, one per app), defined once: a
    // property defined on each request object cost a new accessor and a slower shape for every request.
    const prototype = Object.getPrototypeOf(req) as object;
    if (!prototypesWithLog.has(prototype)) {
      prototypesWithLog.add(prototype);
      defineLazyLog(prototype, logger);
    }
    next();
  };
}

/**
 * `log` on every request of this prototype: made only when something is logged for the request,
 * and it reads the URL then, as pino-http does; kept on that request from then on.
 */
function defineLazyLog(prototype: object, logger: Logger) {
  Object.defineProperty(prototype, 'log', {
    configurable: true,
    enumerable: false,
    get(this: LoggedRequest) {
      const child = logger.child({ req: describeRequest(this) });
      Object.defineProperty(this, 'log', { configurable: true, enumerable: false, value: child });
      return child;
    },
  });
}
