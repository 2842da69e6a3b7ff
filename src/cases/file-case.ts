import type { Db } from '../db/connection.js';
import { findMemberByNumber } from '../members/register.js';

export interface CaseRequest {
  memberNumber: string;
  name: string;
  emailToAdd: string;
}

/** The open case of an address (the generated column `address`) gets the new attempt; there is at most one (a unique index says so). */
const ON_OPEN_CASE = 'ON CONFLICT (address) WHERE resolved_at IS NULL DO UPDATE SET';

/**
 * An order for an address that no member has: the address as typed (trimmed, bounded) and the time,
 * nothing else about the person. Repeated orders for the same address count as attempts of one case.
 */
export async function recordFailedOrder(db: Db, typed: string): Promise<void> {
  const email = typed.trim().slice(0, 254);
  await db.raw(
    `INSERT INTO not_found_cases (email_typed) VALUES (?)
     ${ON_OPEN_CASE} attempts = not_found_cases.attempts + 1, last_attempt_at = now()`,
    [email],
  );
}

/**
 * The short form on the «Käyttäjää ei löydy» page: the request joins the open case of the address
 * (or opens one), and reaches the member's own association when the number is one of its members'.
 * The answer is the same either way, so the form tells nobody whether a number exists.
 */
export async function fileNotFoundCase(db: Db, request: CaseRequest): Promise<void> {
  const number = request.memberNumber.trim().slice(0, 12);
  const member = number ? await findMemberByNumber(db, number) : undefined;
  const email = request.emailToAdd.trim().slice(0, 254);
  await db.raw(
    `INSERT INTO not_found_cases (email_typed, email_to_add, member_number, name, association_id, requested_at)
     VALUES (?, ?, ?, ?, ?, now())
     ${ON_OPEN_CASE}
       email_to_add = EXCLUDED.email_to_add,
       member_number = coalesce(EXCLUDED.member_number, not_found_cases.member_number),
       name = EXCLUDED.name,
       association_id = coalesce(EXCLUDED.association_id, not_found_cases.association_id),
       requested_at = now(), last_attempt_at = now()`,
    [email, email, number || null, request.name.trim().slice(0, 200), member?.associationId ?? null],
  );
}
