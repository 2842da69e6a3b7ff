import { writeAudit } from '../../src/audit/audit-log.js';
import { queueMail } from '../../src/mail/queue.js';
import { endStaffSessions } from '../../src/sessions/end-sessions.js';
import type { ScopeRules } from '../scoped-resource.js';

/** Staff accounts: federation member services only. Deactivating ends that person's sessions. */
export const staffUserRules: ScopeRules = {
  restrict: (query, staff) => {
    if (staff.role !== 'federation') query.whereRaw('false');
  },
  create: (staff) => (staff.role === 'federation' ? { columns: ['email', 'name', 'role', 'association_id'] } : null),
  update: (staff) => (staff.role === 'federation' ? ['name', 'role', 'association_id', 'active'] : null),
  afterWrite: async (trx, staff, before, after) => {
    if (before && before.active && !after.active) {
      await endStaffSessions(trx, Number(after.id));
    }
    if (!before) {
      // The new staff member sets their own password through a mailed link: the members' link mechanism.
      await queueMail(trx, { template: 'staff-invitation', to: String(after.email), language: 'fi', data: { staffUserId: after.id } });
    }
    await writeAudit(trx, { actorType: 'staff', actorId: staff.id, action: before ? 'staff.updated' : 'staff.invited', details: { staffUserId: after.id, active: after.active, role: after.role } });
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
