import { CheckBox, TableCell, TableHead, TableRow } from '@adminjs/design-system';
import React from 'react';
import { PropertyHeader, useTranslation, type RecordsTableHeaderProps } from '../adminjs-internals/frontend.js';

/** As AdminJS shows a column: the title column always, the others from its third breakpoint up. */
const display = (isTitle: boolean) => [isTitle ? 'table-cell' : 'none', isTitle ? 'table-cell' : 'none', 'table-cell', 'table-cell'];

/**
 * A list's header row, in place of AdminJS's RecordsTableHeader (componentLoader.override, loader.ts),
 * only so that its checkbox has a name: «Valitse kaikki» / «Välj alla» / «Select all», from the
 * catalog (admin/locale `labels.selectAll`), as the rows' checkboxes are named by record-in-list.tsx.
 * The column headers are AdminJS's own PropertyHeader (the sort links), as in its version.
 */
const RecordsTableHeader: React.FC<RecordsTableHeaderProps> = ({ titleProperty, properties, sortBy, direction, onSelectAll, selectedAll }) => {
  const { translateLabel } = useTranslation();
  const resourceId = titleProperty.resourceId;
  return (
    <TableHead data-css={`${resourceId}-table-head`}>
      <TableRow data-css={`${resourceId}-table-head-row`}>
        <TableCell data-css={`${resourceId}-checkbox-table-cell`}>
          {onSelectAll ? <CheckBox style={{ marginLeft: 5 }} onChange={() => onSelectAll()} checked={selectedAll} aria-label={translateLabel('selectAll', resourceId)} /> : null}
        </TableCell>
        {properties.map((property) => (
          <PropertyHeader display={display(property.isTitle)} key={property.propertyPath} titleProperty={titleProperty} property={property} sortBy={sortBy} direction={direction} />
        ))}
        <TableCell key="actions" style={{ width: 80 }} />
      </TableRow>
    </TableHead>
  );
};

export default RecordsTableHeader;
