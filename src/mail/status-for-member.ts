import type { Db } from '../db/connection.js';
import { formatTime } from './compose.js';

export interface MailStatusLine {
  created: string;
  message: string;
  status: string;
  link: string | null;
}

const TEMPLATE_NAMES: Record<string, string> = {
  'set-password-link': 'Salasanalinkki',
  'password-changed': 'Ilmoitus salasanan vaihdosta',
  'staff-invitation': 'Henkilökunnan kutsu',
};

/**
 * A member's mail in plain words, newest first: queued, sent (when), retrying (why), failed (why),
 * and for link mails whether the link was used, has expired or is still valid. The caller has
 * already checked that the staff member may see this member.
 */
export async function mailStatusForMember(db: Db, memberId: number): Promise<MailStatusLine[]> {
  const mails = await db('mail_queue as q')
    .join('mail_queue_members as mm', 'mm.mail_id', 'q.id')
    .where('mm.member_id', memberId)
    .orderBy('q.id', 'desc')
    .limit(50)
    .select('q.id', 'q.template', 'q.status', 'q.sent_at', 'q.created_at', 'q.last_error', 'q.next_attempt_at');
  const links = await db('set_password_links').where({ member_id: memberId }).whereNotNull('mail_id').select('mail_id', 'used_at', 'revoked_at', 'revoked_reason', 'expires_at', db.raw('expires_at <= now() as expired'));
  const at = (date: Date) => formatTime(date, 'fi');
  return mails.map((mail) => {
    const status =
      mail.status === 'sent' ? `Lähetetty ${at(mail.sent_at)}`
      : mail.status === 'retrying' ? `Yritetään uudelleen ${at(mail.next_attempt_at)} (syy: ${mail.last_error ?? 'tuntematon'})`
      : mail.status === 'failed' ? `Lähetys epäonnistui (syy: ${mail.last_error ?? 'tuntematon'})`
      : mail.status === 'sending' ? 'Lähetetään'
      : 'Jonossa, lähtee hetken kuluttua';
    const link = links.find((l) => Number(l.mail_id) === Number(mail.id) && l.revoked_reason !== 'not-delivered');
    const linkText = !link ? null
      : link.used_at ? `Linkki käytetty ${at(link.used_at)}`
      : link.revoked_at ? 'Linkki ei ole enää voimassa (salasana asetettiin toisella linkillä)'
      : link.expired ? `Linkki vanheni ${at(link.expires_at)}`
      : `Linkki voimassa ${at(link.expires_at)} asti`;
    return { created: at(mail.created_at), message: TEMPLATE_NAMES[mail.template] ?? mail.template, status, link: linkText };
  });
}
