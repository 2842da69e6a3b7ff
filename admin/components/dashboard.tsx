import { Box, H2, Table, TableBody, TableCell, TableHead, TableRow, Text } from '@adminjs/design-system';
import { ApiClient, useTranslation, ViewHelpers } from 'adminjs';
import React, { useEffect, useState } from 'react';
import type { AssociationFigures as Row } from '../../src/staff/dashboard.js';

const api = new ApiClient();
const h = new ViewHelpers();
const STATES = ['password-set', 'link-waiting', 'no-link-yet', 'no-email'] as const;

/** The member list of one association, narrowed to members in one state (the list's «Tilanne» filter). */
const membersUrl = (associationId: number, state?: string) =>
  `${h.resourceUrl({ resourceId: 'members' })}?filters.association_id=${associationId}${state ? `&filters.state=${state}` : ''}`;

/**
 * Per association (association staff: their own), counted in members: how many, with an address,
 * password set, link sent and waiting, no link yet, no address, and open cases. Each number leads to
 * the members (or cases) it counts, so the next step is one click away.
 */
const Dashboard: React.FC = () => {
  const { translateMessage: tm } = useTranslation();
  const [rows, setRows] = useState<Row[] | null>(null);
  useEffect(() => {
    api.getDashboard().then((response) => setRows((response.data as { rows: Row[] }).rows));
  }, []);
  const count = (value: number, href: string, label: string) => <a href={href} aria-label={`${label}: ${value}`}>{value}</a>;
  return (
    <Box variant="grey">
      <Box variant="white">
        <H2>{tm('dashboard_title')}</H2>
        <Text mb="lg">{tm('dashboard_intro')}</Text>
        {rows === null ? (
          <Text role="status">{tm('dashboard_loading')}</Text>
        ) : (
          <Table>
            <TableHead>
              <TableRow>
                <TableCell as="th" scope="col">{tm('dashboard_association')}</TableCell>
                <TableCell as="th" scope="col">{tm('dashboard_members')}</TableCell>
                <TableCell as="th" scope="col">{tm('dashboard_withEmail')}</TableCell>
                {STATES.map((state) => <TableCell key={state} as="th" scope="col">{tm(`dashboard_state_${state}`)}</TableCell>)}
                <TableCell as="th" scope="col">{tm('dashboard_openCases')}</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {rows.map((row) => (
                <TableRow key={row.associationId}>
                  <TableCell as="th" scope="row">{row.association}</TableCell>
                  <TableCell>{count(row.members, membersUrl(row.associationId), `${row.association}, ${tm('dashboard_members')}`)}</TableCell>
                  <TableCell>{row.withEmail}</TableCell>
                  {STATES.map((state) => (
                    <TableCell key={state}>{count(row.states[state], membersUrl(row.associationId, state), `${row.association}, ${tm(`dashboard_state_${state}`)}`)}</TableCell>
                  ))}
                  <TableCell>{count(row.openCases, `${h.resourceUrl({ resourceId: 'not_found_cases' })}?filters.association_id=${row.associationId}`, `${row.association}, ${tm('dashboard_openCases')}`)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </Box>
    </Box>
  );
};

export default Dashboard;
