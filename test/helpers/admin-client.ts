import { WebClient } from './web-client.js';

/** A logged-in back-office session, sending the headers a browser on the back-office's own pages sends. */
export async function adminLogin(base: string, email: string, password: string) {
  const client = new WebClient(base, { origin: base, 'sec-fetch-site': 'same-origin' });
  const page = await client.post('/admin/login', { email, password });
  if (page.status !== 303) throw new Error(`admin login failed for ${email}: ${page.status}`);
  return {
    client,
    json: async (path: string) => JSON.parse((await client.get(path)).text),
    /** AdminJS forms are multipart (express-formidable). */
    form: async (path: string, fields: Record<string, string>) => {
      const body = new FormData();
      for (const [key, value] of Object.entries(fields)) body.append(key, value);
      const page = await client.request(path, { method: 'POST', body });
      return { status: page.status, body: page.text ? JSON.parse(page.text) : undefined };
    },
  };
}
