import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Db } from '../../src/db/connection.js';
import { projectRoot } from '../../src/project-root.js';
import { WebClient } from './web-client.js';

/** Never in any back-office response: the names of hash columns, or a bcrypt hash itself. */
export const SECRETS = /password_hash|token_hash|\$2[aby]\$/;

export interface ApiResponse {
  status: number;
  text: string;
  location: string | null;
  /** The parsed body when the answer is JSON. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

/** What a browser sends with a request made from the back-office's own pages. */
export const sameOrigin = (base: string) => ({ origin: base, 'sec-fetch-site': 'same-origin' });

/**
 * A staff member's browser talking to the back-office's JSON API (AdminJS 7). Every answer is
 * checked against SECRETS and against the patterns this staff member must never see.
 */
export class StaffClient {
  readonly web: WebClient;
  /** Every answer this client received, for assertions over all of them. */
  readonly responses: Array<{ request: string; status: number; text: string }> = [];

  constructor(
    readonly base: string,
    private readonly forbidden: RegExp[] = [],
  ) {
    this.web = new WebClient(base);
  }

  static async login(base: string, email: string, password: string, forbidden: RegExp[] = []): Promise<StaffClient> {
    const client = new StaffClient(base, forbidden);
    const page = await client.login(email, password);
    assert.equal(page.status, 303, `login as ${email}`);
    assert.equal(page.location, '/admin');
    return client;
  }

  login(email: string, password: string, headers: Record<string, string> = sameOrigin(this.base)) {
    return this.request('/admin/login', { method: 'POST', body: new URLSearchParams({ email, password }), headers });
  }

  /** `headers` replaces the browser's same-origin headers when given (to test what happens without them). */
  async request(path: string, init: { method?: string; body?: FormData | URLSearchParams; headers?: Record<string, string> } = {}): Promise<ApiResponse> {
    const method = init.method ?? 'GET';
    const page = await this.web.request(path, { method, body: init.body, headers: init.headers ?? sameOrigin(this.base) });
    const label = `${method} ${path} → ${page.status}`;
    assert.doesNotMatch(page.text, SECRETS, label);
    for (const pattern of this.forbidden) assert.doesNotMatch(page.text, pattern, `${label}: ${page.text.slice(0, 300)}`);
    this.responses.push({ request: `${method} ${path}`, status: page.status, text: page.text });
    const json = /json/.test(page.headers.get('content-type') ?? '') ? JSON.parse(page.text) : undefined;
    return { status: page.status, text: page.text, location: page.location, json };
  }

  get(path: string, headers?: Record<string, string>) {
    return this.request(path, { headers });
  }

  /** AdminJS's forms post multipart/form-data (express-formidable parses them). */
  post(path: string, fields: Record<string, string> = {}, headers?: Record<string, string>) {
    const body = new FormData();
    for (const [key, value] of Object.entries(fields)) body.append(key, value);
    return this.request(path, { method: 'POST', body, headers });
  }

  cookie() {
    return this.web.cookie('asiointi-admin');
  }
}

/** Refused: 403 or 404, or AdminJS's error notice with no record data in it. Never a 500. */
export function assertRefused(response: ApiResponse, label: string) {
  if (response.status === 403 || response.status === 404) return;
  assert.equal(response.status, 200, `${label}: ${response.text.slice(0, 300)}`);
  assert.equal(response.json?.notice?.type, 'error', `${label}: ${response.text.slice(0, 300)}`);
  assert.deepEqual(response.json.record?.params ?? {}, {}, label);
  assert.deepEqual(response.json.records ?? [], [], label);
}

/** Members by number, associations by name: ids come from the database, never assumed. */
export async function demoIds(db: Db) {
  const members = await db('members').select('id', 'member_number');
  const associations = await db('associations').select('id', 'name');
  const staff = await db('staff_users').select('id', 'email');
  const member = (number: string) => members.find((m) => m.member_number === number)!.id as number;
  return {
    member,
    esimerkkila: associations.find((a) => a.name === 'Esimerkkilän Invalidit ry')!.id as number,
    mallila: associations.find((a) => a.name === 'Mallilan Invalidit ry')!.id as number,
    staff: (email: string) => staff.find((s) => s.email === email)!.id as number,
  };
}

/** A literal that must not appear as a word of its own (letters and digits around it do not count), as stored. */
export function wordPattern(literal: string): RegExp {
  const escaped = literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'u');
}

/**
 * Everything of one association that another association's staff must never see: its name,
 * contact details and staff, and its members' numbers, names and addresses.
 */
export async function associationSecrets(db: Db, associationId: number): Promise<RegExp[]> {
  const association = await db('associations').where({ id: associationId }).first();
  const members = await db('members').where({ association_id: associationId });
  const staff = await db('staff_users').where({ association_id: associationId });
  const words = [
    association.name,
    association.contact_email,
    association.contact_phone,
    ...staff.flatMap((s) => [s.email, s.name]),
    ...members.flatMap((m) => [m.member_number, m.first_name, m.last_name, m.email]),
  ].filter((word): word is string => typeof word === 'string' && word !== '');
  return [...new Set(words)].map(wordPattern);
}

/** The members' set-password link mails: how many, to whom, for which members. */
export async function linkMails(db: Db, sinceId = 0) {
  const rows = await db('mail_queue as q')
    .join('mail_queue_members as qm', 'qm.mail_id', 'q.id')
    .join('members as m', 'm.id', 'qm.member_id')
    .where('q.id', '>', sinceId)
    .where('q.template', 'set-password-link')
    .orderBy(['q.id', 'm.member_number'])
    .select('q.id', 'q.to_address', 'm.member_number');
  const byMail = new Map<number, { to: string; members: string[] }>();
  for (const row of rows) {
    const id = Number(row.id);
    byMail.set(id, { to: row.to_address, members: [...(byMail.get(id)?.members ?? []), row.member_number] });
  }
  return [...byMail.values()];
}

export async function lastMailId(db: Db): Promise<number> {
  const row = await db('mail_queue').max({ id: 'id' }).first();
  return Number(row?.id ?? 0);
}

type Notice = { message: string; options?: Record<string, unknown> } | undefined;

/**
 * A back-office notice as the staff member reads it: AdminJS looks its key up in admin/locale and
 * fills in the options, with i18next's _zero/_one/_other forms by `count`. Fails when the key is missing.
 */
export function noticeText(notice: Notice, language: 'fi' | 'sv' | 'en' = 'fi'): string {
  assert.ok(notice, 'a notice');
  const messages = JSON.parse(readFileSync(path.join(projectRoot, 'admin', 'locale', `${language}.json`), 'utf8')).messages as Record<string, string>;
  const count = notice.options?.count;
  const form = typeof count === 'number' ? [count === 0 ? '_zero' : '', count === 1 ? '_one' : '_other'].find((suffix) => suffix && messages[notice.message + suffix]) : undefined;
  const template = messages[notice.message + (form ?? '')];
  assert.ok(template, `admin/locale/${language}.json has the notice ${notice.message}`);
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(notice.options?.[name] ?? ''));
}
