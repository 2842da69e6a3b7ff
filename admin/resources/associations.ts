import { restrictToStaff } from '../../src/staff/scope.js';
import type { ScopeRules } from '../scoped-resource.js';

/** Associations: federation staff manage them; association staff see only their own, read-only. */
export const associationRules: ScopeRules = {
  restrict: (query, staff) => void restrictToStaff('associations', query, staff),
  create: (staff) => (staff.role === 'federation' ? { columns: ['name', 'contact_email', 'contact_phone'] } : null),
  update: (staff) => (staff.role === 'federation' ? ['name', 'contact_email', 'contact_phone'] : null),
  delete: true, // federation only (see options); a database refusal (members remain) becomes a form error
};

export const associationOptions = {
  navigation: { name: 'Jäsenrekisteri', icon: 'Home' },
  titleProperty: 'name',
  listProperties: ['name', 'contact_email', 'contact_phone'],
  filterProperties: ['name', 'contact_email'],
  editProperties: ['name', 'contact_email', 'contact_phone'],
};
