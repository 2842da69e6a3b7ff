import ejs from 'ejs';
import path from 'node:path';
import type { Config } from '../config.js';
import type { Db } from '../db/connection.js';
import { isLanguage, translator, type Language } from '../i18n/index.js';
import { normaliseEmail } from '../members/email.js';
import { findMemberById, findMembersByIds, fullName, type Member } from '../members/register.js';
import { whyNoLink } from '../passwords/link-eligibility.js';
import { issueLink, issueLinks, keyReminderLink } from '../passwords/links.js';
import { VIEW_OPTIONS, VIEWS_DIR } from '../views.js';
import type { OutgoingMessage } from './transport.js';

/** A queued row as the worker claimed it. */
export interface ClaimedMail {
  id: number;
  template: string;
  to_address: string;
  language: string;
  data: Record<string, unknown>;
}

export class NothingToSend extends Error {
  override name = 'NothingToSend';
}

const mailViews = path.join(VIEWS_DIR, 'mail');

/** A claimed mail built for sending, or why it could not be. */
export type BuiltMail = { mail: ClaimedMail; message: OutgoingMessage } | { mail: ClaimedMail; error: unknown };

/**
 * Builds the message at send time. For link mails this is where the tokens are made, so that no
 * token ever waits in the queue in clear.
 */
export async function composeMail(db: Db, config: Config, mail: ClaimedMail): Promise<OutgoingMessage> {
  const [built] = await composeMails(db, config, [mail]);
  if ('error' in built!) throw built.error;
  return built!.message;
}

/**
 * Builds several claimed mails at once: the members of all link mails are read in one statement and
 * their links made in one, so a send to thousands costs two statements a batch, not two a mail. A
 * problem with one mail is that mail's; the database failing rejects the whole batch.
 */
export async function composeMails(db: Db, config: Config, mails: ClaimedMail[]): Promise<BuiltMail[]> {
  const linkMails = await planLinkMails(db, config, mails.filter((mail) => mail.template === 'set-password-link'));
  const built: BuiltMail[] = [];
  for (const mail of mails) {
    try {
      const plan = linkMails.get(mail.id);
      built.push({ mail, message: plan ? await renderLinkMail(db, config, mail, plan) : await composeOther(db, config, mail) });
    } catch (error) {
      built.push({ mail, error });
    }
  }
  return built;
}

interface LinkEntry {
  member: Member;
  hours: number;
  token: string;
  expiresAt: Date;
}

/**
 * The register may have changed since a mail was queued: a link goes only to a member who can still
 * get one, at the address the mail is going to (not to an address corrected since).
 */
async function planLinkMails(db: Db, config: Config, mails: ClaimedMail[]): Promise<Map<number, LinkEntry[]>> {
  const plans = new Map<number, LinkEntry[]>();
  if (mails.length === 0) return plans;
  const wanted = (mail: ClaimedMail) => new Set((mail.data.memberIds as number[] | undefined) ?? []);
  const members = await findMembersByIds(db, [...new Set(mails.flatMap((mail) => [...wanted(mail)]))]);
  const requests: Array<{ mailId: number; member: Member; hours: number }> = [];
  for (const mail of mails) {
    const ids = wanted(mail);
    for (const member of members) {
      if (!ids.has(member.id) || whyNoLink(member) !== null || normaliseEmail(member.email!) !== normaliseEmail(mail.to_address)) continue;
      requests.push({ mailId: mail.id, member, hours: member.hasPassword ? config.linkHours : config.linkHoursFirst });
    }
    plans.set(mail.id, []);
  }
  const issued = await issueLinks(db, requests.map(({ mailId, member, hours }) => ({ owner: { memberId: member.id }, validHours: hours, mailId })));
  requests.forEach(({ mailId, member, hours }, i) => plans.get(mailId)!.push({ member, hours, ...issued[i]! }));
  return plans;
}

async function renderLinkMail(db: Db, config: Config, mail: ClaimedMail, links: LinkEntry[]): Promise<OutgoingMessage> {
  if (links.length === 0) throw new NothingToSend('none of the members can get a link at this address any more');
  const { t, language, common, portalUrl, setPasswordUrl } = basics(config, mail);
  const entries = links.map(({ member, hours, token, expiresAt }) => ({
    name: fullName(member),
    memberNumber: member.memberNumber,
    url: setPasswordUrl(token),
    validFor: validityText(t, hours),
    validUntil: formatTime(expiresAt, language),
  }));
  // Sent by staff (a first-time setup, a resolved case): the mail says who sent it and why, not "you ordered this".
  const sender = mail.data.sentByStaff === undefined ? null : await senderName(db, config, Number(mail.data.sentByStaff), t);
  const subject = sender ? t('mail.link.staffSubject', { federation: config.federationName }) : t('mail.link.subject', { federation: config.federationName });
  const view = { ...common, subject, entries, sender, loginUrl: portalUrl('/kirjaudu'), orderUrl: portalUrl('/tilaa-salasana') };
  return { to: mail.to_address, subject, ...(await render('set-password-link', view)), links: entries.map((e) => e.url) };
}

function basics(config: Config, mail: ClaimedMail) {
  const language: Language = isLanguage(mail.language) ? mail.language : 'fi';
  const t = translator(language);
  // A member's link opens the portal in the mail's language (Finnish is the portal's default).
  const portalUrl = (route: string) => `${config.publicUrl}${route}${language === 'fi' ? '' : `?lang=${language}`}`;
  return {
    language,
    t,
    portalUrl,
    setPasswordUrl: (token: string) => portalUrl(`/palauta-salasana/${token}`),
    common: { t, lang: language, federationName: config.federationName, memberServicesEmail: config.memberServicesEmail },
  };
}

/** The mails other than a member's link: one at a time (they come one at a time). */
async function composeOther(db: Db, config: Config, mail: ClaimedMail): Promise<OutgoingMessage> {
  const { t, language, common, portalUrl, setPasswordUrl } = basics(config, mail);

  // A reminder before a first-time link runs out (passwords/link-reminders.ts): its links were made with
  // it and get their tokens now; only members still without a password, at this address, get one.
  if (mail.template === 'link-reminder') {
    const members = (await findMembersByIds(db, (mail.data.memberIds as number[]) ?? [])).filter(
      (m) => whyNoLink(m) === null && !m.hasPassword && normaliseEmail(m.email!) === normaliseEmail(mail.to_address),
    );
    const hours = config.linkHoursFirst;
    const entries = [];
    for (const member of members) {
      const keyed = await keyReminderLink(db, mail.id, member.id, hours);
      if (!keyed) continue;
      entries.push({ name: fullName(member), memberNumber: member.memberNumber, url: setPasswordUrl(keyed.token), validFor: validityText(t, hours), validUntil: formatTime(keyed.expiresAt, language) });
    }
    if (entries.length === 0) throw new NothingToSend('none of the members is waiting for this reminder any more');
    const subject = t('mail.reminder.subject', { federation: config.federationName });
    const view = { ...common, subject, entries, orderUrl: portalUrl('/tilaa-salasana') };
    return { to: mail.to_address, subject, ...(await render('link-reminder', view)), links: entries.map((e) => e.url) };
  }

  if (mail.template === 'password-changed') {
    const member = await findMemberById(db, Number(mail.data.memberId));
    if (!member) throw new NothingToSend('the member no longer exists');
    const subject = t('mail.changed.subject', { federation: config.federationName });
    const view = { ...common, subject, name: fullName(member), memberNumber: member.memberNumber, loginUrl: portalUrl('/kirjaudu'), orderUrl: portalUrl('/tilaa-salasana') };
    return { to: mail.to_address, subject, ...(await render('password-changed', view)), links: [] };
  }

  // An invitation (a new account, or resent by member services) and a staff member's own «Unohditko
  // salasanan?» order: the same link to the same page; the wording and how long the link lasts differ.
  if (mail.template === 'staff-invitation' || mail.template === 'staff-password-reset') {
    const staff = await db('staff_users').where({ id: Number(mail.data.staffUserId), active: true }).first('id', 'name');
    if (!staff) throw new NothingToSend('the staff account is no longer active');
    const invitation = mail.template === 'staff-invitation';
    const hours = invitation ? config.linkHoursFirst : config.linkHours;
    const { token, expiresAt } = await issueLink(db, { staffUserId: staff.id }, hours, mail.id);
    const url = setPasswordUrl(token);
    const subject = t(invitation ? 'mail.invitation.subject' : 'mail.staffReset.subject', { federation: config.federationName });
    const view = { ...common, subject, name: staff.name, url, validFor: validityText(t, hours), validUntil: formatTime(expiresAt, language), loginUrl: `${config.publicUrl}/admin/login`, forgotUrl: `${config.publicUrl}/admin/unohtunut-salasana` };
    return { to: mail.to_address, subject, ...(await render(mail.template, view)), links: [url] };
  }

  throw new Error(`No composer for mail template ${mail.template}`);
}

/** A staff member's association, as senderName found it, and when. */
const senders = new Map<number, { association: string | null; at: number }>();
/** A send to thousands is one staff member's: their association is read once a minute, not once a mail. */
const SENDER_KEPT_MS = 60_000;

/** Who a staff-sent link comes from, as the member knows them: their association, or the federation's member services. */
async function senderName(db: Db, config: Config, staffUserId: number, t: ReturnType<typeof translator>): Promise<string> {
  let sender = senders.get(staffUserId);
  if (!sender || Date.now() - sender.at > SENDER_KEPT_MS) {
    const row = await db('staff_users as s').leftJoin('associations as a', 'a.id', 's.association_id').where('s.id', staffUserId).first('a.name as association');
    sender = { association: row?.association ?? null, at: Date.now() };
    if (senders.size > 1000) senders.clear();
    senders.set(staffUserId, sender);
  }
  return sender.association ?? t('mail.link.memberServices', { federation: config.federationName });
}

/**
 * `cache: true`: each template (and each include) is read and compiled once per process, keyed by its
 * file name, not once per mail; a send to thousands otherwise spends its time in the EJS compiler.
 * Templates change only with a deployment, which restarts the process.
 */
async function render(template: string, view: Record<string, unknown>): Promise<{ text: string; html: string }> {
  const [text, html] = await Promise.all([
    ejs.renderFile(path.join(mailViews, `${template}.text.ejs`), view, { ...VIEW_OPTIONS, async: false, cache: true }),
    ejs.renderFile(path.join(mailViews, `${template}.html.ejs`), view, { ...VIEW_OPTIONS, async: false, cache: true }),
  ]);
  return { text: text.replace(/\n{3,}/g, '\n\n').trim() + '\n', html };
}

function validityText(t: ReturnType<typeof translator>, hours: number): string {
  return hours >= 48 && hours % 24 === 0 ? t('mail.link.validDays', { count: hours / 24 }) : t('mail.link.validHours', { count: hours });
}

/** One formatter per language: building an Intl.DateTimeFormat costs far more than using one. */
const timeFormats = new Map<Language, Intl.DateTimeFormat>();

export function formatTime(date: Date, language: Language): string {
  let format = timeFormats.get(language);
  if (!format) {
    const locale = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' }[language];
    format = new Intl.DateTimeFormat(locale, { timeZone: 'Europe/Helsinki', dateStyle: 'long', timeStyle: 'short' });
    timeFormats.set(language, format);
  }
  return format.format(date);
}
