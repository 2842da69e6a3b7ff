/**
 * A small cookie-keeping HTTP client for integration tests: what a browser without JavaScript does.
 * It remembers the CSRF token of the last page that had a form and posts it with the next form.
 */
export interface Page {
  status: number;
  text: string;
  headers: Headers;
  location: string | null;
}

export class WebClient {
  private cookies = new Map<string, string>();
  csrfToken = '';

  constructor(
    readonly base: string,
    private readonly extraHeaders: Record<string, string> = {},
  ) {}

  async request(path: string, init: RequestInit = {}): Promise<Page> {
    const url = path.startsWith('http') ? path : `${this.base}${path}`;
    const headers = new Headers({ ...this.extraHeaders, ...(init.headers as Record<string, string>) });
    if (this.cookies.size > 0) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const [name = '', ...value] = pair.split('=');
      if (/expires=Thu, 01 Jan 1970/i.test(cookie)) this.cookies.delete(name);
      else this.cookies.set(name, value.join('='));
    }
    const text = init.method === 'HEAD' ? '' : await response.text();
    const token = /name="_csrf" value="([^"]+)"/.exec(text)?.[1];
    if (token) this.csrfToken = token;
    return { status: response.status, text, headers: response.headers, location: response.headers.get('location') };
  }

  get(path: string, headers: Record<string, string> = {}) {
    return this.request(path, { headers });
  }

  /** Posts a form; the CSRF token of the last form page goes with it unless the fields set _csrf. */
  post(path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
    const body = new URLSearchParams({ _csrf: this.csrfToken, ...fields });
    return this.request(path, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });
  }

  cookie(name: string) {
    return this.cookies.get(name);
  }

  forgetCookies() {
    this.cookies.clear();
  }
}

/** The session id in an express-session cookie's value (`s:<id>.<signature>`, URL-encoded). */
export const sessionIdOf = (cookie: string | undefined) => decodeURIComponent(cookie ?? '').replace(/^s:/, '').split('.')[0]!;

/** The visible text of a page, tags removed and whitespace folded, for matching sentences. */
export function visibleText(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}
