import { Box, Button, Drawer, DrawerContent, DrawerFooter, H3, Icon } from '@adminjs/design-system';
import React, { useEffect, useRef, useState } from 'react';
import { useParams } from 'react-router-dom';
import { BasePropertyComponent, useFilterDrawer, useQueryParams, useTranslation, type FilterProps } from '../adminjs-internals/frontend.js';
import { FILTERS_ID } from './element-ids.js';

/**
 * A list's filters, in place of AdminJS's FilterDrawer (componentLoader.override, admin/components/
 * loader.ts), which it follows but for what a keyboard or screen reader user met there:
 * - closed, AdminJS's drawer only slid off screen, its fields still in the Tab order (focus vanished
 *   into them): closed, it is now hidden (visibility), out of the Tab order and the accessibility tree;
 * - opening it («Suodata», action-header.tsx) moves focus to its heading, so its fields come next;
 *   Esc or × closes it and focus returns to «Suodata»;
 * - it is a form named by its heading «Suodattimet», and the × is named «Sulje suodattimet».
 * Filtering itself is AdminJS's: the same fields (BasePropertyComponent) and the same URL parameters.
 */
const FilterDrawer: React.FC<FilterProps> = ({ resource }) => {
  const [filter, setFilter] = useState<Record<string, unknown>>({});
  const params = useParams<{ resourceId: string }>();
  const { translateButton, translateLabel } = useTranslation();
  const { isVisible, close } = useFilterDrawer();
  const { storeParams, clearParams, filters } = useQueryParams();
  const heading = useRef<HTMLHeadingElement>(null);
  const firstLoad = useRef(true);

  useEffect(() => {
    if (firstLoad.current) firstLoad.current = false;
    else setFilter({});
  }, [params.resourceId]);
  useEffect(() => {
    if (filters) setFilter(filters);
  }, [filters]);
  useEffect(() => {
    if (isVisible) heading.current?.focus();
  }, [isVisible]);

  const apply = (event: React.FormEvent) => {
    event.preventDefault();
    const chosen = Object.fromEntries(Object.entries(filter).filter(([, value]) => value !== undefined && value !== null));
    storeParams({ filters: chosen, page: '1' });
  };
  const reset = (event: React.SyntheticEvent) => {
    event.preventDefault();
    clearParams('filters');
    setFilter({});
  };
  const change = (name: unknown, value: unknown) => {
    if (typeof name !== 'string') throw new Error('a filter is changed by its property name');
    setFilter({ ...filter, [name]: typeof value === 'string' && value.length === 0 ? undefined : value });
  };

  return (
    <Drawer
      id={FILTERS_ID}
      variant="filter"
      isHidden={!isVisible}
      as="form"
      aria-labelledby={`${FILTERS_ID}-heading`}
      onSubmit={apply}
      onReset={reset}
      // A date picker's calendar takes Esc first (and marks it handled): only a second Esc closes the filters.
      onKeyDown={(event: React.KeyboardEvent) => event.key === 'Escape' && !event.defaultPrevented && close()}
      style={{ visibility: isVisible ? 'visible' : 'hidden' }}
      data-css={`${resource.id}-filter-drawer`}
    >
      <DrawerContent>
        <Box flex justifyContent="space-between" alignItems="center">
          <H3 id={`${FILTERS_ID}-heading`} ref={heading} tabIndex={-1}>{translateLabel('filters', resource.id)}</H3>
          <Button type="button" variant="light" size="icon" rounded color="text" onClick={close} aria-label={translateButton('closeFilters', resource.id)}>
            <Icon icon="X" />
          </Button>
        </Box>
        <Box my="x3">
          {resource.filterProperties.map((property) => (
            <BasePropertyComponent key={property.propertyPath} where="filter" onChange={change} property={property} filter={filter} resource={resource} />
          ))}
        </Box>
      </DrawerContent>
      <DrawerFooter>
        <Button type="button" variant="light" onClick={reset}>{translateButton('resetFilter', resource.id)}</Button>
        <Button type="submit" variant="contained">{translateButton('applyChanges', resource.id)}</Button>
      </DrawerFooter>
    </Drawer>
  );
};

export default FilterDrawer;
