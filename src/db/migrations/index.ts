import type { Knex } from 'knex';
import * as register from './001-register.js';
import * as portal from './002-portal.js';
import * as backOffice from './003-back-office.js';
import * as linkBatches from './004-link-batches.js';
import * as linkSendAttempts from './005-link-send-attempts.js';
import * as retention from './006-retention.js';
import * as mailDelivery from './007-mail-delivery.js';
import * as casePerAddress from './008-case-per-address.js';
import * as auditActorLabel from './009-audit-actor-label.js';
import * as languageNotChosen from './010-language-not-chosen.js';
import * as staffSecondFactor from './011-staff-second-factor.js';
import * as performanceIndexes from './012-performance-indexes.js';
import * as staffPasswordResetMail from './013-staff-password-reset-mail.js';
import * as postalAddress from './014-postal-address.js';
import * as linkReminders from './015-link-reminders.js';
import * as letterStatus from './016-letter-status.js';
import * as caseSearch from './017-case-search.js';
import * as caseClosing from './018-case-closing.js';
import * as memberCounts from './019-member-counts.js';
import * as memberLastNames from './020-member-last-names.js';
import * as auditActorLabels from './021-audit-actor-labels.js';
import * as memberEmailGist from './022-member-email-gist.js';

/**
 * Migrations are listed here in order rather than discovered on disk, so the same list runs
 * under tsx (TypeScript sources) and from the compiled build (JavaScript), with no file globbing.
 */
const migrations: Record<string, Knex.Migration> = {
  '001-register': register,
  '002-portal': portal,
  '003-back-office': backOffice,
  '004-link-batches': linkBatches,
  '005-link-send-attempts': linkSendAttempts,
  '006-retention': retention,
  '007-mail-delivery': mailDelivery,
  '008-case-per-address': casePerAddress,
  '009-audit-actor-label': auditActorLabel,
  '010-language-not-chosen': languageNotChosen,
  '011-staff-second-factor': staffSecondFactor,
  '012-performance-indexes': performanceIndexes,
  '013-staff-password-reset-mail': staffPasswordResetMail,
  '014-postal-address': postalAddress,
  '015-link-reminders': linkReminders,
  '016-letter-status': letterStatus,
  '017-case-search': caseSearch,
  '018-case-closing': caseClosing,
  '019-member-counts': memberCounts,
  '020-member-last-names': memberLastNames,
  '021-audit-actor-labels': auditActorLabels,
  '022-member-email-gist': memberEmailGist,
};

export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(migrations),
  getMigrationName: (name) => name,
  getMigration: async (name) => {
    const migration = migrations[name];
    if (!migration) throw new Error(`Unknown migration ${name}`);
    return migration;
  },
};
