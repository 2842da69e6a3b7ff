import { ValidationError } from './adminjs-runtime.js';

/**
 * PostgreSQL refusals become form errors on the field they concern, in plain words, instead of a
 * 500 page with SQL in it. Anything unrecognised is still a clear, generic form error.
 *
 * Messages are catalog keys (admin/locale, `messages.formError_*`): a field's error is written out in
 * the staff member's language before it leaves the server (admin/api-answers.ts, translatedNotices),
 * an error of the whole form becomes the notice, which AdminJS looks up in the same catalog.
 */
const FIELD_OF_CONSTRAINT: Record<string, [string, string]> = {
  members_member_number_unique: ['member_number', 'formError_memberNumberTaken'],
  members_number_digits: ['member_number', 'formError_memberNumberDigits'],
  members_email_shape: ['email', 'formError_emailShape'],
  members_names_not_blank: ['first_name', 'formError_namesMissing'],
  // Migration 014: the postal address. The data layer trims and checks before saving; these are the last word.
  members_postal_code_digits: ['postal_code', 'formError_postalCodeDigits'],
  members_street_address_shape: ['street_address', 'formError_fieldShape'],
  members_post_office_shape: ['post_office', 'formError_fieldShape'],
  members_status_allowed: ['membership_status', 'formError_chooseMembershipStatus'],
  members_language_allowed: ['preferred_language', 'formError_chooseLanguage'],
  staff_users_email_unique: ['email', 'formError_staffEmailTaken'],
  staff_email_shape: ['email', 'formError_staffEmailShape'],
  staff_association_matches_role: ['association_id', 'formError_associationForRole'],
  staff_role_allowed: ['role', 'formError_chooseRole'],
  staff_name_not_blank: ['name', 'formError_nameMissing'],
  associations_name_unique: ['name', 'formError_associationNameTaken'],
  associations_name_not_blank: ['name', 'formError_associationNameMissing'],
};

export function databaseErrorToFormError(error: unknown): Error {
  if (error instanceof ValidationError) return error;
  const pg = error as { code?: string; constraint?: string; column?: string };
  if (!pg?.code) return error as Error;
  const known = pg.constraint ? FIELD_OF_CONSTRAINT[pg.constraint] : undefined;
  if (known) return new ValidationError({ [known[0]]: { message: known[1], type: pg.code } });
  if (pg.code === '23502' && pg.column) return new ValidationError({ [pg.column]: { message: 'formError_required', type: pg.code } });
  if (pg.code === '23503') return new ValidationError({}, { message: 'formError_inUse', type: pg.code });
  if (pg.code.startsWith('22') || pg.code.startsWith('23')) return new ValidationError({}, { message: 'formError_invalid', type: pg.code });
  return error as Error;
}
