import path from 'node:path';
import { projectRoot } from '../../src/project-root.js';
import { ComponentLoader } from '../adminjs-runtime.js';

/** Custom React components of the back-office, bundled at build time by admin/build-bundle.ts. */
export const componentLoader = new ComponentLoader();

/** AdminJS's own components replaced by ours, for accessibility (each file says why). */
componentLoader.override('NoticeBox', path.join(projectRoot, 'admin', 'components', 'notice-box.tsx'));

export const Components = {
  Dashboard: componentLoader.add('Dashboard', path.join(projectRoot, 'admin', 'components', 'dashboard.tsx')),
  ResolveCase: componentLoader.add('ResolveCase', path.join(projectRoot, 'admin', 'components', 'resolve-case.tsx')),
  ConfirmLinkSend: componentLoader.add('ConfirmLinkSend', path.join(projectRoot, 'admin', 'components', 'confirm-link-send.tsx')),
  MailStatus: componentLoader.add('MailStatus', path.join(projectRoot, 'admin', 'components', 'mail-status.tsx')),
  AuditDetails: componentLoader.add('AuditDetails', path.join(projectRoot, 'admin', 'components', 'audit-details.tsx')),
};
