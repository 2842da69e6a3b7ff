import path from 'node:path';
import { projectRoot } from '../../src/project-root.js';
import { ComponentLoader } from '../adminjs-runtime.js';

/** Custom React components of the back-office, bundled at build time by admin/build-bundle.ts. */
export const componentLoader = new ComponentLoader();

const component = (file: string) => path.join(projectRoot, 'admin', 'components', file);

/** AdminJS's own components replaced by ours, for accessibility (each file says why). */
componentLoader.override('NoticeBox', component('notice-box.tsx'));
// Keyboard and screen reader (issue #9); the AdminJS internals they rely on are in admin/adminjs-internals/.
componentLoader.override('Sidebar', component('sidebar.tsx'));
componentLoader.override('SidebarResourceSection', component('sidebar-navigation.tsx'));
componentLoader.override('TopBar', component('top-bar.tsx'));
componentLoader.override('LoggedIn', component('logged-in.tsx'));
componentLoader.override('ActionHeader', component('action-header.tsx'));
componentLoader.override('Breadcrumbs', component('breadcrumbs.tsx'));
componentLoader.override('RecordInList', component('record-in-list.tsx'));
componentLoader.override('FilterDrawer', component('filter-drawer.tsx'));
componentLoader.override('ResourceRoute', component('in-main.tsx'));
componentLoader.override('RouteWrapper', component('in-main.tsx'));
componentLoader.override('DashboardRoute', component('in-main.tsx'));
componentLoader.override('Login', path.join(projectRoot, 'admin', 'components', 'login.tsx'));
componentLoader.override('DefaultNewAction', component('record-form.tsx'));
componentLoader.override('DefaultEditAction', component('record-form.tsx'));
componentLoader.override('RecordsTableHeader', component('records-table-header.tsx'));
componentLoader.override('Application', component('application.tsx'));
// The back-office wholly in the chosen language (issue #9): the language kept, selects and date pickers in it.
const internal = (file: string) => path.join(projectRoot, 'admin', 'adminjs-internals', file);
componentLoader.override('Footer', internal('language-keeper.tsx'));
componentLoader.override('DefaultDatetimeFilterProperty', internal('datetime-filter.tsx'));

export const Components = {
  Dashboard: componentLoader.add('Dashboard', path.join(projectRoot, 'admin', 'components', 'dashboard.tsx')),
  ResolveCase: componentLoader.add('ResolveCase', path.join(projectRoot, 'admin', 'components', 'resolve-case.tsx')),
  ConfirmLinkSend: componentLoader.add('ConfirmLinkSend', path.join(projectRoot, 'admin', 'components', 'confirm-link-send.tsx')),
  MailStatus: componentLoader.add('MailStatus', path.join(projectRoot, 'admin', 'components', 'mail-status.tsx')),
  AuditDetails: componentLoader.add('AuditDetails', path.join(projectRoot, 'admin', 'components', 'audit-details.tsx')),
  MailReason: componentLoader.add('MailReason', path.join(projectRoot, 'admin', 'components', 'mail-reason.tsx')),
  ResendInvitation: componentLoader.add('ResendInvitation', path.join(projectRoot, 'admin', 'components', 'resend-invitation.tsx')),
  PrintLetter: componentLoader.add('PrintLetter', component('print-letter.tsx')),
  PrintLetters: componentLoader.add('PrintLetters', component('print-letters.tsx')),
  LetterStatus: componentLoader.add('LetterStatus', component('letter-status.tsx')),
};
