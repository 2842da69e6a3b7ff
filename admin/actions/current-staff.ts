import type { ActionContext } from 'adminjs';
import { asPrincipal, type StaffPrincipal } from '../../src/staff/principal.js';

/** The logged-in staff member of an action; an action never runs without one (the router logs in first). */
export function staffOf(context: ActionContext): StaffPrincipal {
  const staff = asPrincipal(context.currentAdmin);
  if (!staff) throw new Error('no staff member');
  return staff;
}

/** `isAccessible` for what only federation member services may do. */
export const federationOnly = ({ currentAdmin }: { currentAdmin?: unknown }) => asPrincipal(currentAdmin)?.role === 'federation';
