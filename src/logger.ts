import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * Paths whose values never reach a log line: credentials, cookies, tokens, passwords, a failed row's values.
 * Request URLs are logged through redactUrl, because set-password links carry their token in the path.
 */
const redact = {
  paths: [
    'req.headers.cookie',
    'req.headers.authorization',
    'res.headers["set-cookie"]',
    '*.password',
    '*.token',
    '*.sessionSecret',
    '*.smtpUrl',
    '*.databaseUrl',
    // PostgreSQL's detail of a failed statement names the failing key or row: «Key (email)=(…) already exists».
    'err.detail',
  ],
  censor: '[redacted]',
};

/** `destination` defaults to standard output; tests pass a stream to read what would be logged. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = { level, redact, base: undefined };
  return destination ? pino(options, destination) : pino(options);
}

/**
 * Routing ignores case and repeated slashes, and an absolute-form request target (`GET http://host/…`)
 * routes like a path: the link route is matched the same ways, anywhere in the URL.
 */
const TOKEN_PATHS = /(\/palauta-salasana\/+)[^/?#]+/gi;
/** Any other path segment as long as a token (ours are 43 characters): redacted too, whatever route it came by. */
const TOKEN_LIKE_SEGMENT = /(?<=\/)[A-Za-z0-9_%-]{32,}(?=\/|$)/g;

/** Removes tokens from a request URL: the path segment after a link route, token-like segments, and any token-like query value. */
export function redactUrl(url: string): string {
  const [pathPart = '', query] = url.split('?', 2);
  const safePath = pathPart.replace(TOKEN_PATHS, '$1[redacted]').replace(TOKEN_LIKE_SEGMENT, '[redacted]');
  if (query === undefined) return safePath;
  const params = new URLSearchParams(query);
  for (const key of [...params.keys()]) {
    if (/token|password|secret|code/i.test(key)) params.set(key, '[redacted]');
  }
  return `${safePath}?${params.toString()}`;
}
