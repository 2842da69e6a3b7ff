import { restrictToStaff } from '../../src/staff/scope.js';
import type { ScopeRules } from '../scoped-resource.js';

/**
 * Associations: federation staff manage them; association staff see only their own, read-only.
 * `link_reminders`: whether members of the association who never set a password get a reminder before
 * their link runs out (src/passwords/link-reminders.ts); changed by federation staff like the rest of
 * the association, shown to the association's own staff.
 */
const WRITABLE = ['name', 'contact_email', 'contact_phone', 'link_reminders'];

export const associationRules: ScopeRules = {
  restrict: (query, staff) => void restrictToStaff('associations', query, staff),
  create: (staff) => (staff.role === 'federation' ? { columns: WRITABLE } : null),
  update: (staff) => (staff.role === 'federation' ? WRITABLE : null),
  delete: true, // federation only (see options); a database refusal (members remain) becomes a form error
};

export const associationOptions = {
  navigation: { name: 'Jäsenrekisteri', icon: 'Home' },
  titleProperty: 'name',
  listProperties: ['name', 'contact_email', 'contact_phone', 'link_reminders'],
  filterProperties: ['name', 'contact_email', 'link_reminders'],
  editProperties: WRITABLE,
};
