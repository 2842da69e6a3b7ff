import { writeAudit } from '../../src/audit/audit-log.js';
import { looksLikeEmail } from '../../src/members/email.js';
import { scopeMembers } from '../../src/members/visibility.js';
import type { ScopeRules } from '../scoped-resource.js';

const EDITABLE = ['first_name', 'last_name', 'email', 'preferred_language', 'membership_status'];

/** Members: association staff see and change only their own association's, and cannot move them. */
export const memberRules: ScopeRules = {
  restrict: (query, staff) => void scopeMembers(query, staff),
  create: (staff) =>
    staff.role === 'federation'
      ? { columns: ['member_number', ...EDITABLE, 'association_id'] }
      : { columns: ['member_number', ...EDITABLE], forced: { association_id: staff.associationId } },
  update: (staff) => (staff.role === 'federation' ? [...EDITABLE, 'association_id'] : EDITABLE),
  validate: (values) => {
    const problems: Record<string, string> = {};
    if (typeof values.email === 'string' && !looksLikeEmail(values.email)) problems.email = 'Sähköpostiosoite ei ole oikean muotoinen, esimerkiksi nimi@esimerkki.fi.';
    if ('member_number' in values && !/^\d{1,12}$/.test(String(values.member_number ?? ''))) problems.member_number = 'Jäsennumerossa voi olla vain numeroita (enintään 12).';
    return problems;
  },
  afterWrite: async (trx, staff, before, after) => {
    const changed = Object.keys(after).filter((key) => key !== 'updated_at' && String(before?.[key] ?? '') !== String(after[key] ?? ''));
    if (before && changed.length === 0) return;
    await writeAudit(trx, {
      actorType: 'staff',
      actorId: staff.id,
      action: before ? 'member.updated' : 'member.created',
      memberId: Number(after.id),
      details: Object.fromEntries(changed.map((key) => [key, { old: before?.[key] ?? null, new: after[key] ?? null }])),
    });
  },
};

export const memberOptions = {
  navigation: { name: 'Jäsenrekisteri', icon: 'Users' },
  titleProperty: 'last_name',
  listProperties: ['member_number', 'first_name', 'last_name', 'email', 'association_id', 'membership_status'],
  filterProperties: ['member_number', 'first_name', 'last_name', 'email', 'association_id', 'membership_status', 'preferred_language'],
  showProperties: ['member_number', 'first_name', 'last_name', 'email', 'association_id', 'membership_status', 'preferred_language', 'created_at', 'updated_at'],
  editProperties: ['member_number', 'first_name', 'last_name', 'email', 'association_id', 'membership_status', 'preferred_language'],
  sort: { sortBy: 'last_name', direction: 'asc' as const },
  properties: {
    membership_status: { availableValues: [{ value: 'active', label: 'active' }, { value: 'ended', label: 'ended' }] },
    preferred_language: { availableValues: [{ value: 'fi', label: 'fi' }, { value: 'sv', label: 'sv' }, { value: 'en', label: 'en' }] },
  },
};
