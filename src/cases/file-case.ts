import type { Db } from '../db/connection.js';
import { findMemberByNumber } from '../members/register.js';

export interface CaseRequest {
  memberNumber: string;
  name: string;
  emailToAdd: string;
}

/**
 * The short form on the «Käyttäjää ei löydy» page: the request reaches member services, and the
 * member's own association when the number matches one of its members. The answer is the same
 * either way, so the form tells nobody whether a number exists.
 */
export async function fileNotFoundCase(db: Db, request: CaseRequest): Promise<void> {
  const number = request.memberNumber.trim();
  const member = number ? await findMemberByNumber(db, number) : undefined;
  await db('not_found_cases').insert({
    email_typed: request.emailToAdd.trim().slice(0, 254),
    email_to_add: request.emailToAdd.trim().slice(0, 254),
    member_number: number.slice(0, 12) || null,
    name: request.name.trim().slice(0, 200),
    association_id: member?.associationId ?? null,
  });
}
