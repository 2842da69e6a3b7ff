import net from 'node:net';

/**
 * One HTTP/1.1 request sent byte for byte over a plain socket, for what fetch and browsers never
 * send: a NUL or a lone % in the path, raw invalid UTF-8 in a body, a body with no Content-Type.
 */
export interface RawAnswer {
  status: number;
  headers: Record<string, string[]>;
  text: string;
  header(name: string): string | undefined;
}

export interface RawRequest {
  method?: string;
  /** The request target exactly as sent (not encoded here). */
  target: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
}

export function rawRequest(base: string, request: RawRequest): Promise<RawAnswer> {
  const { hostname, port } = new URL(base);
  const body = request.body === undefined ? undefined : Buffer.isBuffer(request.body) ? request.body : Buffer.from(request.body, 'utf8');
  const headers: Record<string, string> = { host: `${hostname}:${port}`, connection: 'close', ...request.headers };
  if (body && !Object.keys(headers).some((name) => name.toLowerCase() === 'content-length')) headers['content-length'] = String(body.length);
  const head = `${request.method ?? 'GET'} ${request.target} HTTP/1.1\r\n${Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('')}\r\n`;
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.setTimeout(20_000, () => socket.destroy(new Error(`no answer to ${request.method ?? 'GET'} ${request.target}`)));
    let failure: Error | undefined;
    socket.on('data', (chunk) => chunks.push(chunk));
    // A server that answers before reading the whole body may close while the body is still being
    // written (EPIPE, ECONNRESET): its answer is what counts.
    socket.on('error', (error) => (failure = error));
    socket.on('close', () => {
      try {
        if (chunks.length === 0 && failure) throw failure;
        resolve(parseAnswer(Buffer.concat(chunks)));
      } catch (error) {
        reject(error);
      }
    });
    socket.write(Buffer.from(head, 'latin1'));
    if (body) socket.write(body);
  });
}

function parseAnswer(raw: Buffer): RawAnswer {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) throw new Error(`not an HTTP answer: ${raw.toString('latin1').slice(0, 200)}`);
  const [statusLine = '', ...lines] = raw.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(statusLine.split(' ')[1]);
  const headers: Record<string, string[]> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim().toLowerCase();
    (headers[name] ??= []).push(line.slice(colon + 1).trim());
  }
  let body = raw.subarray(end + 4);
  if (headers['transfer-encoding']?.some((value) => /chunked/i.test(value))) body = dechunk(body);
  return { status, headers, text: body.toString('utf8'), header: (name) => headers[name.toLowerCase()]?.join(', ') };
}

function dechunk(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  while (at < body.length) {
    const lineEnd = body.indexOf('\r\n', at);
    const size = parseInt(body.subarray(at, lineEnd).toString('latin1'), 16);
    if (!size) break;
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}
