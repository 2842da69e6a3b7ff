import type { ServiceDeps } from '../services.js';
import type { StaffPrincipal } from '../staff/principal.js';
import { codeValidUntil, lettersQuery, type LetterMember, type NoLetter } from './letter-members.js';

/** What «Tulosta aktivointikirje» says before anything is made: to whom, where, how long, and what it ends. */
export interface LetterPreview {
  name: string;
  memberNumber: string;
  /** The address lines as the envelope's window shows them; null when incomplete. */
  address: string[] | null;
  /** Why no letter can be made; null when one can. */
  refusal: NoLetter | null;
  hasPassword: boolean;
  hasEmail: boolean;
  /** When the letter whose code still works was printed (ISO time); a new letter ends that code. */
  liveLetterAt: string | null;
  validDays: number;
  /** The last day the new code works, YYYY-MM-DD. */
  validUntil: string;
}

/** Undefined for a member this staff member may not see, as for one that does not exist. Changes nothing. */
export async function previewActivationLetter(deps: ServiceDeps, staff: StaffPrincipal, memberId: number): Promise<LetterPreview | undefined> {
  if (!Number.isSafeInteger(memberId)) return undefined;
  const member: LetterMember | undefined = await lettersQuery(deps.db, staff).where('m.id', memberId).first();
  if (!member) return undefined;
  const complete = member.street_address && member.postal_code && member.post_office;
  return {
    name: `${member.first_name} ${member.last_name}`,
    memberNumber: member.member_number,
    address: complete ? [member.street_address!, `${member.postal_code} ${member.post_office!.toUpperCase()}`] : null,
    refusal: member.why_no_letter,
    hasPassword: member.has_password,
    hasEmail: Boolean(member.email),
    liveLetterAt: member.live_letter_at ? member.live_letter_at.toISOString() : null,
    validDays: deps.config.activationCodeDays,
    validUntil: await codeValidUntil(deps.db, deps.config.activationCodeDays),
  };
}
