import { actorLabelMatches } from '../../src/audit/actor-labels.js';
import { AUDIT_ACTIONS } from '../../src/audit/audit-log.js';
import { CLOSE_REASONS } from '../../src/cases/close-reasons.js';
import { restrictToStaff } from '../../src/staff/scope.js';
import { Components } from '../components/loader.js';
import type { ScopeRules } from '../scoped-resource.js';

/** "User not found" cases: federation staff see all; association staff those filed to their association. */
/** «Tila» of a case, a filter only: the dashboard's open-case numbers link to it. */
export const CASE_STATES = ['open', 'open-no-association', 'handled'] as const;
const caseStateSql: Record<(typeof CASE_STATES)[number], string> = {
  open: 'not_found_cases.resolved_at IS NULL',
  'open-no-association': 'not_found_cases.resolved_at IS NULL AND not_found_cases.association_id IS NULL',
  handled: 'not_found_cases.resolved_at IS NOT NULL',
};

export const caseRules: ScopeRules = {
  restrict: (query, staff) => void restrictToStaff('not_found_cases', query, staff),
  tieBreak: 'asc',
  virtualFilters: { state: { values: CASE_STATES, sql: (value) => caseStateSql[value as (typeof CASE_STATES)[number]] } },
};

/** Mail: association staff see mail that concerns their own members. Never editable. */
export const mailRules: ScopeRules = { restrict: (query, staff) => void restrictToStaff('mail_queue', query, staff), hidden: ['data'] };

/** Audit log: read-only for everyone; association staff see what concerns their own members. */
export const auditRules: ScopeRules = {
  restrict: (query, staff) => void restrictToStaff('audit_log', query, staff),
  // «Tekijä» is searched among the distinct actor labels (src/audit/actor-labels.ts), not the whole log.
  matchedThroughValues: { actor_label: actorLabelMatches },
};

const readOnlyActions = { new: { isAccessible: false }, edit: { isAccessible: false }, delete: { isAccessible: false }, bulkDelete: { isAccessible: false } };

/** Open cases first (NULL sorts first descending), the one that has waited longest on top of them. */
export const caseOptions = {
  navigation: { name: 'Asiakaspalvelu', icon: 'Inbox' },
  listProperties: ['address', 'created_at', 'attempts', 'last_attempt_at', 'name', 'member_number', 'association_id', 'resolved_at'],
  showProperties: ['address', 'email_typed', 'email_to_add', 'created_at', 'attempts', 'last_attempt_at', 'requested_at', 'name', 'member_number', 'association_id', 'resolved_at', 'resolved_by', 'resolved_member_id', 'closed_reason'],
  filterProperties: ['state', 'address', 'member_number', 'name', 'association_id', 'created_at', 'resolved_at', 'closed_reason'],
  sort: { sortBy: 'resolved_at', direction: 'desc' as const },
  actions: readOnlyActions,
  properties: {
    closed_reason: { availableValues: CLOSE_REASONS.map((value) => ({ value, label: value })) },
    // Not a column: a filter only (admin/scoped-resource.ts virtualFilters).
    state: { type: 'string' as const, availableValues: CASE_STATES.map((value) => ({ value, label: value })), isVisible: { list: false, show: false, edit: false, filter: true } },
  },
};

export const mailOptions = {
  navigation: { name: 'Asiakaspalvelu', icon: 'Mail' },
  listProperties: ['created_at', 'template', 'to_address', 'status', 'sent_at', 'attempts', 'last_error'],
  filterProperties: ['to_address', 'template', 'status', 'created_at'],
  showProperties: ['created_at', 'template', 'to_address', 'language', 'status', 'attempts', 'next_attempt_at', 'sent_at', 'last_error'],
  sort: { sortBy: 'created_at', direction: 'desc' as const },
  actions: readOnlyActions,
  properties: {
    status: { availableValues: ['queued', 'sending', 'sent', 'retrying', 'failed'].map((value) => ({ value, label: value })) },
    template: { availableValues: ['set-password-link', 'link-reminder', 'password-changed', 'staff-invitation', 'staff-password-reset'].map((value) => ({ value, label: value })) },
    // What the problem is and what to do, in the staff member's language, rather than the stored text.
    last_error: { components: { list: Components.MailReason, show: Components.MailReason } },
  },
};

/** The audit log in plain words: who (by name), what (the event's name), whom, and the changes as old → new. */
export const auditOptions = {
  navigation: { name: 'Ylläpito', icon: 'List' },
  listProperties: ['at', 'actor_label', 'action', 'member_id', 'details'],
  filterProperties: ['actor_label', 'action', 'member_id', 'at'],
  showProperties: ['at', 'actor_label', 'actor_type', 'action', 'member_id', 'details'],
  sort: { sortBy: 'at', direction: 'desc' as const },
  actions: readOnlyActions,
  properties: {
    // Labels without dots: AdminJS looks them up as catalog paths (admin/locale: resources.audit_log.labels.action).
    action: { availableValues: AUDIT_ACTIONS.map((value) => ({ value, label: value.replaceAll('.', '_') })) },
    actor_type: { availableValues: ['member', 'staff', 'public', 'system'].map((value) => ({ value, label: value })) },
    details: { components: { list: Components.AuditDetails, show: Components.AuditDetails } },
  },
};
