import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { databaseErrorToFormError } from '../../admin/form-errors.js';
import { ADMIN_CATALOGS, staffText } from '../../admin/staff-language.js';
import { mailProblem, PERMANENT_FAILURE_PREFIX, serverWords } from '../../src/mail/mail-problem.js';
import { projectRoot } from '../../src/project-root.js';

/**
 * The back-office's catalogs (admin/locale) are complete in Finnish, Swedish and English, and the
 * texts the server writes for staff are in them.
 */
type Tree = { [key: string]: string | Tree };
const paths = (tree: Tree, prefix = ''): string[] =>
  Object.entries(tree).flatMap(([key, value]) => (typeof value === 'string' ? [`${prefix}${key}`] : paths(value, `${prefix}${key}.`)));
const catalog = (language: 'fi' | 'sv' | 'en') => new Set(paths(ADMIN_CATALOGS[language] as Tree));
const adminjsEnglish = new Set(paths(JSON.parse(readFileSync(path.join(projectRoot, 'node_modules', 'adminjs', 'lib', 'locale', 'en', 'translation.json'), 'utf8')) as Tree));
/** A plural form without its suffix: AdminJS's English has `x` and `x_plural` where ours has `x_one` and `x_other`. */
const singular = (key: string) => key.replace(/_(zero|one|other|plural)$/, '');

test('every text of the back-office is in Finnish, Swedish and English', () => {
  const fi = catalog('fi');
  const sv = catalog('sv');
  const en = catalog('en');
  assert.deepEqual([...fi].filter((key) => !sv.has(key)), [], 'in Finnish, not in Swedish');
  assert.deepEqual([...sv].filter((key) => !fi.has(key)), [], 'in Swedish, not in Finnish');
  // English may leave to AdminJS what AdminJS already says in English (its own buttons and messages).
  const englishByAdminjs = (key: string) => adminjsEnglish.has(key) || adminjsEnglish.has(singular(key)) || adminjsEnglish.has(`${singular(key)}_plural`);
  assert.deepEqual([...fi].filter((key) => !en.has(key) && !englishByAdminjs(key)), [], 'in Finnish, not in English');
  assert.deepEqual([...en].filter((key) => !fi.has(key)), [], 'in English, not in Finnish');
});

test('the language menu names each language in itself, the same in every language', () => {
  for (const language of ['fi', 'sv', 'en'] as const) {
    const names = ((ADMIN_CATALOGS[language] as Tree).components as Tree).LanguageSelector as Tree;
    assert.deepEqual(names.availableLanguages, { ...(names.availableLanguages as Tree), fi: 'Suomi', sv: 'Svenska', en: 'English' }, language);
  }
});

test('every notice the server answers with is a text in every language', () => {
  // scoped-resource.ts, api-answers.ts, staff-input.ts, input-boundary.ts: notices are catalog keys.
  const keys = ['forbidden', 'notFound', 'requestRefused', 'error404Record', 'invalidCharacters', 'invalidFilter', 'requestTooLarge', 'originRefused'];
  for (const language of ['fi', 'sv', 'en'] as const) {
    for (const key of keys) assert.ok(catalog(language).has(`messages.${key}`), `${language}: ${key}`);
  }
});

test('a database refusal is a form error whose text exists in every language', () => {
  const refusals: Array<{ code: string; constraint?: string; column?: string }> = [
    ...[
      'members_member_number_unique', 'members_number_digits', 'members_email_shape', 'members_names_not_blank', 'members_status_allowed', 'members_language_allowed',
      'staff_users_email_unique', 'staff_email_shape', 'staff_association_matches_role', 'staff_role_allowed', 'staff_name_not_blank', 'associations_name_unique', 'associations_name_not_blank',
    ].map((constraint) => ({ code: '23505', constraint })),
    { code: '23502', column: 'association_id' },
    { code: '23503' },
    { code: '22001' },
  ];
  for (const refusal of refusals) {
    const error = databaseErrorToFormError(refusal) as unknown as { propertyErrors: Record<string, { message: string }>; baseError: { message: string } | null };
    const messages = [...Object.values(error.propertyErrors).map((e) => e.message), ...(error.baseError ? [error.baseError.message] : [])];
    assert.equal(messages.length, 1, JSON.stringify(refusal));
    for (const language of ['fi', 'sv', 'en'] as const) {
      assert.notEqual(staffText(language, `messages.${messages[0]}`), `messages.${messages[0]}`, `${language}: ${messages[0]}`);
    }
  }
});

test('a refused mail shows the receiving server\'s words without the Finnish sentence the sender stores before them', () => {
  // src/mail/transport.ts writes the sentence (describeSmtpError); if its wording changes, so must mail-problem.ts.
  const transport = readFileSync(path.join(projectRoot, 'src', 'mail', 'transport.ts'), 'utf8');
  assert.ok(transport.includes(`\`${PERMANENT_FAILURE_PREFIX}\${`), 'src/mail/transport.ts still begins a permanent failure with PERMANENT_FAILURE_PREFIX');
  const stored = `${PERMANENT_FAILURE_PREFIX}550 5.1.1 <x@example.fi>: Recipient address rejected`;
  assert.equal(mailProblem('failed', stored), 'address-rejected');
  assert.equal(serverWords('failed', stored), '550 5.1.1 <x@example.fi>: Recipient address rejected');
  assert.equal(serverWords('retrying', 'ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:25'), 'ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:25');
  assert.equal(serverWords('failed', 'none of the members can get a link at this address any more'), null, 'our own note is no one\'s words');
  assert.equal(serverWords('sent', null), null);
});
