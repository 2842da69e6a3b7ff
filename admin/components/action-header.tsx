import { Badge, Box, Button, cssClass, H2, Icon } from '@adminjs/design-system';
import React, { useEffect, useRef, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import {
  actionHref, Breadcrumbs, buildActionClickHandler, useActionResponseHandler, useFilterDrawer, useModal, useTranslation,
  type ActionHeaderProps, type ActionJSON,
} from '../adminjs-internals/frontend.js';
import ActionConfirm, { asksFirst } from './action-confirm.js';
import { FILTERS_ID } from './element-ids.js';
import { recordName, usePageTitle } from './page-title.js';

/**
 * The head of every list, record and action page, in place of AdminJS's ActionHeader
 * (componentLoader.override, admin/components/loader.ts), which it follows in layout. Changed:
 * - the heading and the browser tab's title say what the page shows: «Jäsenet», «Teemu Testaaja
 *   (100003)», «Muokkaa: Teemu Testaaja (100003)» (AdminJS: «Luettelo», «Näytä», «Muokkaa»), and a
 *   list's count is read as «Jäsenet (3)»;
 * - «Suodata» is a button that says whether the filters are open (AdminJS: an <a> without href, out
 *   of the Tab order), and focus comes back to it when the filters close;
 * - an action that asks first (its `guard`) asks in ActionDialog, not in AdminJS's modal;
 * - the action buttons are links and buttons of their own, not AdminJS's ButtonGroup of <a>s.
 */
const ActionHeader: React.FC<ActionHeaderProps> = (props) => {
  const { resource, actionPerformed, record, action, tag, omitActions, toggleFilter: showsFilter } = props;
  const translations = useTranslation();
  const { translateAction, translateButton, translateLabel } = translations;
  const navigate = useNavigate();
  const location = useLocation();
  const actionResponseHandler = useActionResponseHandler(actionPerformed);
  const modalFunctions = useModal();
  const filters = useFilterDrawer();
  const filterButton = useRef<HTMLButtonElement>(null);
  const [asking, setAsking] = useState<ActionJSON | null>(null);

  const resourceName = translateLabel(resource.name, resource.id);
  const actionName = translateAction(action.label, resource.id);
  const heading = record ? (action.name === 'show' ? recordName(resource, record) : `${actionName}: ${recordName(resource, record)}`)
    : action.name === 'list' ? resourceName : action.name === 'new' ? `${actionName}: ${resourceName}` : actionName;
  usePageTitle([heading, resourceName]);

  // The filters closed with focus in them (or lost): it comes back to «Suodata».
  const wasOpen = useRef(filters.isVisible);
  useEffect(() => {
    const drawer = document.getElementById(FILTERS_ID);
    const focusWasThere = document.activeElement === document.body || Boolean(drawer?.contains(document.activeElement));
    if (wasOpen.current && !filters.isVisible && focusWasThere) filterButton.current?.focus();
    wasOpen.current = filters.isVisible;
  }, [filters.isVisible]);

  if (action.hideActionHeader) return null;

  const params = { resourceId: resource.id, recordId: record?.id };
  const onAction = (event: React.MouseEvent, source: ActionJSON) => {
    if (asksFirst(source)) {
      event.preventDefault();
      setAsking(source);
      return undefined;
    }
    return buildActionClickHandler({ action: source, params, actionResponseHandler, navigate, location, translateFunctions: translations, modalFunctions })(event);
  };
  const buttonsFor = (actions: ActionJSON[], buttonParams: typeof params) =>
    actions.map((source) => {
      const href = asksFirst(source) ? null : actionHref(source, { ...buttonParams });
      const content = (
        <>
          {source.icon ? <Icon icon={source.icon} /> : null}
          {translateAction(source.label, resource.id)}
        </>
      );
      return href ? (
        <Button key={source.name} as="a" href={href} size="sm" variant="outlined" data-testid={`action-${source.name}`} onClick={(event: React.MouseEvent) => onAction(event, source)}>{content}</Button>
      ) : (
        <Button key={source.name} type="button" size="sm" variant="outlined" data-testid={`action-${source.name}`} onClick={(event: React.MouseEvent) => onAction(event, source)}>{content}</Button>
      );
    });

  const ownActions = record
    ? record.recordActions.filter((ra) => ra.name !== action.name)
    : resource.resourceActions.filter((ra) => ra.name === 'new' && ra.name !== action.name);
  const resourceActions = action.showResourceActions ? resource.resourceActions.filter((ra) => !['list', 'new'].includes(ra.name)) : [];
  const row = { gap: '8px', flexWrap: 'wrap' as const };

  return (
    <Box className={cssClass('ActionHeader')} data-css={`${resource.id}-${action.name}-action-header`}>
      <Box flex flexDirection="row" px={['default', 0]} style={row}>
        <Breadcrumbs resource={resource} actionName={action.name} record={record} />
        <Box flex flexShrink={0} style={row}>{buttonsFor(resourceActions, { resourceId: resource.id, recordId: undefined })}</Box>
      </Box>
      <Box display={['block', 'flex']}>
        <Box mt="lg" flexGrow={1} px={['default', 0]}>
          <H2 mb="lg" tabIndex={-1}>
            {heading}
            {tag ? (
              <>
                <Badge variant="default" outline ml="default" aria-hidden="true">{tag}</Badge>
                <VisuallyHidden>{` (${tag})`}</VisuallyHidden>
              </>
            ) : null}
          </H2>
        </Box>
        {!omitActions && (
          <Box mt="xl" mb="default" flex flexShrink={0} alignItems="flex-start" style={row}>
            {buttonsFor(ownActions, params)}
            {showsFilter ? (
              <Button ref={filterButton} type="button" size="sm" variant="outlined" aria-expanded={filters.isVisible} aria-controls={FILTERS_ID} onClick={filters.toggleFilter} data-css={`${resource.id}-filter-button`}>
                <Icon icon="Filter" />
                {translateButton(filters.filtersCount > 0 ? 'filterActive' : 'filter', resource.id, { count: filters.filtersCount })}
              </Button>
            ) : null}
          </Box>
        )}
      </Box>
      {asking ? <ActionConfirm action={asking} resourceId={resource.id} recordId={record?.id} actionPerformed={actionPerformed} onClose={() => setAsking(null)} /> : null}
    </Box>
  );
};

/** Read by screen readers, not shown. */
export const VisuallyHidden: React.FC<{ children: React.ReactNode }> = ({ children }) => (
  <span style={{ position: 'absolute', width: '1px', height: '1px', overflow: 'hidden', clip: 'rect(0 0 0 0)', whiteSpace: 'nowrap' }}>{children}</span>
);

export default ActionHeader;
