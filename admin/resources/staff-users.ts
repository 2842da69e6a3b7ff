import { saveStaffAccount, type StaffRow } from '../../src/staff/staff-accounts.js';
import { restrictToStaff } from '../../src/staff/scope.js';
import type { ScopeRules } from '../scoped-resource.js';
import type { ServiceNotice } from '../service-notice.js';

/** Staff accounts: federation member services only; the rules (invite, sign out) are src/staff/staff-accounts.ts. */
export const staffUserRules: ScopeRules = {
  restrict: (query, staff) => void restrictToStaff('staff_users', query, staff),
  create: (staff) => (staff.role === 'federation' ? { columns: ['email', 'name', 'role', 'association_id'] } : null),
  update: (staff) => (staff.role === 'federation' ? ['name', 'role', 'association_id', 'active'] : null),
  save: async (trx, staff, before, values) => {
    const { row, change } = await saveStaffAccount(trx, staff, before as StaffRow | null, values);
    const notice: ServiceNotice | undefined =
      change.kind === 'invited'
        ? { message: 'staffInvited', options: { email: change.email }, type: 'success' as const }
        : change.sessionsEnded > 0
          ? { message: 'staffSaved_signedOut', options: { count: change.sessionsEnded }, type: 'success' as const }
          : undefined;
    return { row, notice };
  },
};

export const staffUserOptions = {
  navigation: { name: 'Ylläpito', icon: 'Settings' },
  titleProperty: 'name',
  listProperties: ['name', 'email', 'role', 'association_id', 'active'],
  filterProperties: ['name', 'email', 'role', 'association_id', 'active'],
  editProperties: ['email', 'name', 'role', 'association_id', 'active'],
  properties: {
    role: { availableValues: [{ value: 'federation', label: 'federation' }, { value: 'association', label: 'association' }] },
  },
};
