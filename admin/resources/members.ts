import { cleanPostalAddress, postalAddressProblem, type EmailChange } from '../../src/members/change-email.js';
import { looksLikeEmail } from '../../src/members/email.js';
import { lastNamesInScope, membersInScope } from '../../src/members/member-counts.js';
import { LETTER_FILTERS, letterFilterSql, type LetterFilter } from '../../src/letters/letter-status.js';
import { MEMBER_STATES, memberStateSql, type MemberState } from '../../src/members/member-state.js';
import { InvalidMemberEmail, InvalidPostalAddress, saveMember, type MemberRow } from '../../src/members/save-member.js';
import { restrictToStaff } from '../../src/staff/scope.js';
import { ValidationError } from '../adminjs-runtime.js';
import type { ScopeRules } from '../scoped-resource.js';
import type { ServiceNotice } from '../service-notice.js';
import { Components } from '../components/loader.js';

const POSTAL = ['street_address', 'postal_code', 'post_office'];
const EDITABLE = ['first_name', 'last_name', 'email', ...POSTAL, 'preferred_language', 'membership_status'];
// Catalog keys (admin/locale), written out in the staff member's language on the way out (admin/api-answers.ts).
const EMAIL_INVALID = 'formError_emailShape';
const NUMBER_INVALID = 'formError_memberNumberDigits';
const POSTAL_CODE_INVALID = 'formError_postalCodeDigits';

/** Members: association staff see and change only their own association's, and cannot move them. */
export const memberRules: ScopeRules = {
  restrict: (query, staff) => void restrictToStaff('members', query, staff),
  countAll: membersInScope,
  keptValues: { last_name: lastNamesInScope },
  // «Tilanne»: where the member stands (src/members/member-state.ts); the dashboard's numbers link here.
  // «Aktivointikirje»: printed, or activated with (src/letters/letter-status.ts); the dashboard's letter counts link here.
  virtualFilters: {
    state: { values: MEMBER_STATES, sql: (value) => memberStateSql(value as MemberState, 'members') },
    letter: { values: LETTER_FILTERS, sql: (value) => letterFilterSql(value as LetterFilter, 'members') },
  },
  create: (staff) =>
    staff.role === 'federation'
      ? { columns: ['member_number', ...EDITABLE, 'association_id'] }
      : { columns: ['member_number', ...EDITABLE], forced: { association_id: staff.associationId } },
  update: (staff) => (staff.role === 'federation' ? [...EDITABLE, 'association_id'] : EDITABLE),
  validate: (values) => {
    const problems: Record<string, string> = {};
    if (typeof values.email === 'string' && !looksLikeEmail(values.email)) problems.email = EMAIL_INVALID;
    if (postalAddressProblem(cleanPostalAddress(values))) problems.postal_code = POSTAL_CODE_INVALID;
    if ('member_number' in values && !/^\d{1,12}$/.test(String(values.member_number ?? ''))) problems.member_number = NUMBER_INVALID;
    return problems;
  },
  save: async (trx, staff, before, values) => {
    try {
      const { row, emailChange } = await saveMember(trx, staff, before as MemberRow | null, values);
      return { row, notice: emailChange && emailNotice(emailChange, before === null) };
    } catch (error) {
      if (error instanceof InvalidMemberEmail) throw new ValidationError({ email: { message: EMAIL_INVALID, type: 'invalid' } });
      if (error instanceof InvalidPostalAddress) throw new ValidationError({ [error.field]: { message: POSTAL_CODE_INVALID, type: 'invalid' } });
      throw error;
    }
  },
};

/** What the address change did, in the staff member's language (keys in admin/locale). */
function emailNotice(change: EmailChange, created: boolean): ServiceNotice | undefined {
  if (change.kind !== 'saved' || !change.changed) return undefined;
  const options = { count: change.sharedWith, linksRevoked: change.linksRevoked, casesClosed: change.casesClosed };
  return { message: created ? 'memberCreated_email' : 'memberSaved_emailChanged', options, type: change.sharedWith > 0 ? 'info' : 'success' };
}

export const memberOptions = {
  navigation: { name: 'Jäsenrekisteri', icon: 'Users' },
  titleProperty: 'last_name',
  listProperties: ['member_number', 'first_name', 'last_name', 'email', 'association_id', 'membership_status'],
  filterProperties: ['member_number', 'first_name', 'last_name', 'email', 'association_id', 'state', 'letter', 'membership_status', 'preferred_language'],
  showProperties: ['member_number', 'first_name', 'last_name', 'email', ...POSTAL, 'letter', 'association_id', 'membership_status', 'preferred_language', 'created_at', 'updated_at'],
  editProperties: ['member_number', 'first_name', 'last_name', 'email', ...POSTAL, 'association_id', 'membership_status', 'preferred_language'],
  sort: { sortBy: 'last_name', direction: 'asc' as const },
  properties: {
    membership_status: { availableValues: [{ value: 'active', label: 'active' }, { value: 'ended', label: 'ended' }] },
    // Not a column: a filter only (admin/scoped-resource.ts virtualFilters).
    state: { type: 'string' as const, availableValues: MEMBER_STATES.map((value) => ({ value, label: value })), isVisible: { list: false, show: false, edit: false, filter: true } },
    // Not a column either: a filter, and on the member's page the newest letter's state, read by its component.
    letter: {
      type: 'string' as const,
      availableValues: LETTER_FILTERS.map((value) => ({ value, label: value })),
      isVisible: { list: false, show: true, edit: false, filter: true },
      components: { show: Components.LetterStatus },
    },
    preferred_language: { availableValues: [{ value: 'fi', label: 'fi' }, { value: 'sv', label: 'sv' }, { value: 'en', label: 'en' }] },
  },
};
