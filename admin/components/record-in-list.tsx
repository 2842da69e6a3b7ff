import { CheckBox, Placeholder, TableCell, TableRow } from '@adminjs/design-system';
import React, { useEffect, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import {
  actionHref, BasePropertyComponent, buildActionClickHandler, useActionResponseHandler, useModal, useTranslation,
  type RecordInListProps, type RecordJSON,
} from '../adminjs-internals/frontend.js';
import { recordName } from './page-title.js';

/**
 * A row of a list, in place of AdminJS's RecordInList (componentLoader.override, admin/components/
 * loader.ts). AdminJS opens a record when its row is clicked: nothing a keyboard reaches. Here the
 * first column (a member's number, an association's name, …) is a real link to the record's page,
 * named by the record («100003», in a row that reads «Teemu Testaaja»), and the row's checkbox says
 * whose it is («Valitse: Teemu Testaaja (100003)»). A click elsewhere on the row still opens it.
 * AdminJS's row menu (⋯), which opened on mouse hover alone, is left out: the same actions are on
 * the record's own page, one link away.
 */
const RecordInList: React.FC<RecordInListProps> = (props) => {
  const { resource, record: given, actionPerformed, isLoading, onSelect, isSelected } = props;
  const [record, setRecord] = useState<RecordJSON>(given);
  const navigate = useNavigate();
  const location = useLocation();
  const translations = useTranslation();
  const modalFunctions = useModal();
  const actionResponseHandler = useActionResponseHandler(actionPerformed);
  useEffect(() => setRecord(given), [given]);

  const open = record.recordActions.find(({ name }) => name === 'show') ?? record.recordActions.find(({ name }) => name === 'edit');
  const params = { resourceId: resource.id, recordId: record.id };
  const href = open ? actionHref(open, params) : null;
  const follow = (event: React.MouseEvent) => {
    if (open) buildActionClickHandler({ action: open, params, actionResponseHandler, navigate, location, translateFunctions: translations, modalFunctions })(event);
  };
  const clickRow = (event: React.MouseEvent) => {
    const target = event.target as HTMLElement;
    if (!target.closest('a, button, input, label')) follow(event);
  };
  const name = recordName(resource, record);

  return (
    <TableRow className={isSelected ? 'selected' : 'not-selected'} onClick={clickRow} data-id={record.id} data-css={`${resource.id}-table-row`}>
      <TableCell width={0}>
        {onSelect && record.bulkActions.length ? (
          <CheckBox onChange={() => onSelect(record)} checked={isSelected} aria-label={`${translations.translateLabel('selectRecord', resource.id)}: ${name}`} />
        ) : null}
      </TableCell>
      {resource.listProperties.map((property, index) => (
        <TableCell key={property.propertyPath} style={{ cursor: 'pointer' }} data-property-name={property.propertyPath} data-css={`${resource.id}-${property.name}-table-cell`}>
          {isLoading ? (
            <Placeholder style={{ height: 14 }} />
          ) : index === 0 && href && !property.reference ? (
            <a href={href} onClick={follow}>
              <BasePropertyComponent where="list" property={property} resource={resource} record={record} />
            </a>
          ) : (
            <BasePropertyComponent where="list" property={property} resource={resource} record={record} />
          )}
        </TableCell>
      ))}
      {/* Where AdminJS's row menu was: the header still has a column for it. */}
      <TableCell className="options" />
    </TableRow>
  );
};

export default RecordInList;
