import { Box, cssClass } from '@adminjs/design-system';
import { styled } from '@adminjs/design-system/styled-components';
import React from 'react';
import { Link } from 'react-router-dom';
import { useTranslation, ViewHelpers, type BreadcrumbProps } from '../adminjs-internals/frontend.js';
import { recordName } from './page-title.js';
import { themed } from '../adminjs-internals/styled.js';

const h = new ViewHelpers();

/**
 * Where the page is («Etusivu / Jäsenet / Teemu Testaaja (100003)»), in place of AdminJS's Breadcrumbs
 * (componentLoader.override, admin/components/loader.ts): a navigation landmark with a list, the
 * current page marked and not a link (AdminJS's last crumb was a link to «#»), and each link at least
 * 24 px high (axe `target-size`, WCAG 2.5.8: AdminJS's were 16 px and 8 px apart).
 */
const Breadcrumbs: React.FC<BreadcrumbProps> = ({ resource, record, actionName }) => {
  const { translateLabel: tl, translateAction: ta } = useTranslation();
  const action = resource.actions.find((a) => a.name === actionName);
  const list = resource.resourceActions.find(({ name }) => name === 'list');
  const here = record ? recordName(resource, record) : action && action.name !== 'list' ? ta(action.label, resource.id) : null;
  return (
    <Box as="nav" aria-label={tl('breadcrumbs')} flexGrow={1} className={cssClass('Breadcrumbs')}>
      <Crumbs>
        <li><Link to={h.dashboardUrl()}>{tl('dashboard')}</Link></li>
        <li aria-current={here ? undefined : 'page'}>
          {list && here ? <Link to={resource.href ?? '/'}>{tl(resource.name, resource.id)}</Link> : tl(resource.name, resource.id)}
        </li>
        {record && action && action.name !== 'show' ? (
          <>
            <li><Link to={h.recordActionUrl({ resourceId: resource.id, recordId: String(record.id), actionName: 'show' })}>{here}</Link></li>
            <li aria-current="page">{ta(action.label, resource.id)}</li>
          </>
        ) : here ? <li aria-current="page">{here}</li> : null}
      </Crumbs>
    </Box>
  );
};

const Crumbs = styled.ol`
  display: flex;
  flex-wrap: wrap;
  align-items: center;
  margin: 0;
  padding: 0;
  list-style: none;
  font-size: ${themed((theme) => theme.fontSizes.default)};
  color: ${themed((theme) => theme.colors.text)};
  li { display: inline-flex; align-items: center; min-height: 24px; }
  li + li::before { content: '/' / ''; padding: 0 ${themed((theme) => theme.space.default)}; color: ${themed((theme) => theme.colors.grey60)}; }
  a { display: inline-flex; align-items: center; min-height: 24px; color: ${themed((theme) => theme.colors.grey60)}; text-decoration: none; }
  a:hover { color: ${themed((theme) => theme.colors.primary100)}; text-decoration: underline; }
`;

export default Breadcrumbs;
