import { ValidationError } from './adminjs-runtime.js';

/**
 * PostgreSQL refusals become form errors on the field they concern, in plain Finnish, instead of
 * a 500 page with SQL in it. Anything unrecognised is still a clear, generic form error.
 */
const FIELD_OF_CONSTRAINT: Record<string, [string, string]> = {
  members_member_number_unique: ['member_number', 'Tällä jäsennumerolla on jo jäsen.'],
  members_number_digits: ['member_number', 'Jäsennumerossa voi olla vain numeroita (enintään 12).'],
  members_email_shape: ['email', 'Sähköpostiosoite ei ole oikean muotoinen, esimerkiksi nimi@esimerkki.fi.'],
  members_names_not_blank: ['first_name', 'Kirjoita etunimi ja sukunimi.'],
  members_status_allowed: ['membership_status', 'Valitse jäsenyyden tila.'],
  members_language_allowed: ['preferred_language', 'Valitse asiointikieli.'],
  staff_users_email_unique: ['email', 'Tällä sähköpostiosoitteella on jo henkilökunnan tunnus.'],
  staff_email_shape: ['email', 'Sähköpostiosoite ei ole oikean muotoinen.'],
  staff_association_matches_role: ['association_id', 'Yhdistyksen henkilökunnalle valitaan yhdistys; liiton jäsenpalvelulle ei.'],
  staff_role_allowed: ['role', 'Valitse rooli.'],
  staff_name_not_blank: ['name', 'Kirjoita nimi.'],
  associations_name_unique: ['name', 'Tämän niminen yhdistys on jo olemassa.'],
  associations_name_not_blank: ['name', 'Kirjoita yhdistyksen nimi.'],
};

export function databaseErrorToFormError(error: unknown): Error {
  if (error instanceof ValidationError) return error;
  const pg = error as { code?: string; constraint?: string; column?: string };
  if (!pg?.code) return error as Error;
  const known = pg.constraint ? FIELD_OF_CONSTRAINT[pg.constraint] : undefined;
  if (known) return new ValidationError({ [known[0]]: { message: known[1], type: pg.code } });
  if (pg.code === '23502' && pg.column) return new ValidationError({ [pg.column]: { message: 'Tämä tieto tarvitaan.', type: pg.code } });
  if (pg.code === '23503') return new ValidationError({}, { message: 'Tietoa ei voi tallentaa tai poistaa, koska siihen liittyy muita tietoja (esimerkiksi jäseniä).', type: pg.code });
  if (pg.code.startsWith('22') || pg.code.startsWith('23')) return new ValidationError({}, { message: 'Jokin tieto on väärän muotoinen. Tarkista kentät ja yritä uudelleen.', type: pg.code });
  return error as Error;
}
