import { Box } from '@adminjs/design-system';
import React, { type ComponentType } from 'react';
import { MAIN_ID } from './element-ids.js';

type Props = Record<string, unknown> & { OriginalComponent?: ComponentType<Record<string, unknown>> };

/**
 * A <main> landmark around each page's own content, so that a screen reader can jump past the sidebar
 * and the top bar (AdminJS has none: axe `landmark-one-main`, `region`). Two AdminJS components are
 * overridden with these (admin/components/loader.ts), each rendering AdminJS's own inside a <main>
 * that takes its place in AdminJS's column layout: ResourceRoute (a list), RouteWrapper (the box
 * around every record and action page) and DashboardRoute (the front page).
 */
export const InMain: React.FC<Props> = ({ OriginalComponent, ...props }) => (
  <Box as="main" id={MAIN_ID} flex flexDirection="column" flexGrow={1}>{OriginalComponent ? <OriginalComponent {...props} /> : null}</Box>
);

