import type { ServiceDeps } from '../src/services.js';
import { associationFigures, openCasesWithoutAssociation } from '../src/staff/dashboard.js';
import { asPrincipal } from '../src/staff/principal.js';

export function dashboardHandler(services: ServiceDeps) {
  return async (_request: unknown, _response: unknown, context: { currentAdmin?: unknown }) => {
    const staff = asPrincipal(context.currentAdmin);
    if (!staff) return { rows: [], casesWithoutAssociation: null };
    return { rows: await associationFigures(services.db, staff), casesWithoutAssociation: await openCasesWithoutAssociation(services.db, staff) };
  };
}
