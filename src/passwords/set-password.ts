import { DEFAULT_LANGUAGE, type Language } from '../i18n/index.js';
import type { ServiceDeps } from '../services.js';
import { accountOfLink, type AccountKind, type LinkAccount } from './account-kinds.js';
import { hashPassword } from './hashing.js';
import { clearLoginFailures } from './login.js';
import { claimLink, inspectLink, revokeOutstandingLinks, type LinkState } from './links.js';
import { checkPassword, type PasswordProblem } from './policy.js';

export type LinkProblem = 'expired' | 'used' | 'replaced' | 'unknown';

/** The form a valid link opens: whose password it sets, and until when it may. */
export interface LinkForm {
  account: LinkAccount;
  expiresAt: Date;
}

/** What is wrong with a link; `forStaff` when it was a staff member's (an unknown link is nobody's). */
export type LinkFailure = { kind: LinkProblem; forStaff?: boolean };

export type LinkPage = ({ kind: 'form' } & LinkForm) | LinkFailure;

export type SetPasswordOutcome = { kind: 'done'; account: LinkAccount } | ({ kind: 'rejected'; problem: PasswordProblem } & LinkForm) | LinkFailure;

type FoundLink = { kind: 'found'; accountKind: AccountKind<unknown> } & LinkForm;

/** What «PALAUTA SALASANA» shows for a link. Reads only: mail scanners open links before people do. */
export async function openSetPasswordLink(deps: ServiceDeps, token: string): Promise<LinkPage> {
  const found = await findLinkAccount(deps, token);
  return found.kind === 'found' ? { kind: 'form', account: found.account, expiresAt: found.expiresAt } : found;
}

/**
 * «Vaihda salasana», for a member's link and a staff invitation alike. In one transaction: the
 * link is used, every other outstanding link of the account closed, and the account kind stores
 * the password (ending sessions, telling the person, auditing). Then its login lock lifts.
 */
export async function setPasswordWithLink(deps: ServiceDeps, token: string, password: string, language: Language = DEFAULT_LANGUAGE): Promise<SetPasswordOutcome> {
  const found = await findLinkAccount(deps, token);
  if (found.kind !== 'found') return found;
  const { accountKind, account, expiresAt } = found;
  const problem = checkPassword(password, account.passwordContext);
  if (problem) return { kind: 'rejected', problem, account, expiresAt };
  const passwordHash = await hashPassword(password, deps.config.bcryptCost);

  const won = await deps.db.transaction(async (trx) => {
    const claimed = await claimLink(trx, token);
    if (!claimed || accountKind.ownerId(claimed) !== account.id) return false;
    const otherLinksClosed = await revokeOutstandingLinks(trx, accountKind.linkOwner(account.id), 'password-set');
    await accountKind.storePassword(trx, account, passwordHash, otherLinksClosed, language);
    return true;
  });
  if (!won) {
    // Another submission of the same link got there first, or it expired meanwhile.
    const now = await inspectLink(deps.db, token);
    return now.state === 'valid' ? { kind: 'used', forStaff: now.staffUserId !== null } : failureOf(now);
  }
  // A new password lifts the login locks on the account (every trusted browser's too).
  await clearLoginFailures(deps, accountKind, account.username);
  return { kind: 'done', account };
}

function failureOf(link: Exclude<LinkState, { state: 'valid' }>): LinkFailure {
  return link.state === 'unknown' || link.state === 'replaced' ? { kind: link.state } : { kind: link.state, forStaff: link.forStaff };
}

async function findLinkAccount(deps: ServiceDeps, token: string): Promise<FoundLink | LinkFailure> {
  const link = await inspectLink(deps.db, token);
  if (link.state !== 'valid') return failureOf(link);
  const owner = accountOfLink(link);
  const account = owner && (await owner.kind.findActive(deps, owner.id));
  if (!owner || !account) return { kind: 'unknown' };
  return { kind: 'found', accountKind: owner.kind, account, expiresAt: link.expiresAt };
}
