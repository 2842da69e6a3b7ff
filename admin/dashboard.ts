import type { ServiceDeps } from '../src/services.js';
import { associationFigures } from '../src/staff/dashboard.js';
import { asPrincipal } from '../src/staff/principal.js';

export function dashboardHandler(services: ServiceDeps) {
  return async (_request: unknown, _response: unknown, context: { currentAdmin?: unknown }) => {
    const staff = asPrincipal(context.currentAdmin);
    return { rows: staff ? await associationFigures(services.db, staff) : [] };
  };
}
