import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Paths whose values never reach a log line: credentials, cookies, tokens, passwords.
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
  ],
  censor: '[redacted]',
};

export function createLogger(level: string): Logger {
  return pino({ level, redact, base: undefined });
}

const TOKEN_PATHS = /^(\/palauta-salasana\/)[^/?#]+/;

/** Removes tokens from a request URL: the path segment after a link route, and any token-like query value. */
export function redactUrl(url: string): string {
  const [pathPart = '', query] = url.split('?', 2);
  const safePath = pathPart.replace(TOKEN_PATHS, '$1[redacted]');
  if (query === undefined) return safePath;
  const params = new URLSearchParams(query);
  for (const key of [...params.keys()]) {
    if (/token|password|secret|code/i.test(key)) params.set(key, '[redacted]');
  }
  return `${safePath}?${params.toString()}`;
}
