import { Box, H2, Table, TableBody, TableCell, TableHead, TableRow, Text } from '@adminjs/design-system';
import { ApiClient, useTranslation, ViewHelpers } from 'adminjs';
import React, { useEffect, useState } from 'react';
import type { AssociationFigures as Row } from '../../src/staff/dashboard.js';

const api = new ApiClient();
const h = new ViewHelpers();
const STATES = ['password-set', 'link-waiting', 'no-link-yet', 'no-email'] as const;
const LETTERS = ['printed', 'activated'] as const;

/** The member list of one association, narrowed by a filter that is no column (the list's «Tilanne» or «Aktivointikirje»). */
const membersUrl = (associationId: number, filter?: { state: string } | { letter: string }) =>
  `${h.resourceUrl({ resourceId: 'members' })}?filters.association_id=${associationId}${filter ? Object.entries(filter).map(([key, value]) => `&filters.${key}=${value}`).join('') : ''}`;

/**
 * Per association (association staff: their own), counted in members: how many, with an address,
 * password set, link sent and waiting, no link yet, no address, of those without an address how many
 * have had a printed letter and how many activated with one, and open cases. Each number leads to
 * the members (or cases) it counts, so the next step is one click away.
 */
const Dashboard: React.FC = () => {
  const { translateMessage: tm } = useTranslation();
  const [rows, setRows] = useState<Row[] | null>(null);
  const [withoutAssociation, setWithoutAssociation] = useState<number | null>(null);
  useEffect(() => {
    api.getDashboard().then((response) => {
      const data = response.data as { rows: Row[]; casesWithoutAssociation: number | null };
      setRows(data.rows);
      setWithoutAssociation(data.casesWithoutAssociation);
    });
  }, []);
  const casesUrl = (filter: string) => `${h.resourceUrl({ resourceId: 'not_found_cases' })}?${filter}`;
  const count = (value: number, href: string, label: string) => <a href={href} aria-label={`${label}: ${value}`}>{value}</a>;
  // Column headings break between words only («Jäseniä», not «Jäse-niä»); a table too wide for the window scrolls sideways.
  const column = (key: string, text: string) => <TableCell key={key} as="th" scope="col" px="default" style={{ wordBreak: 'normal' }}>{text}</TableCell>;
  return (
    <Box variant="grey">
      <Box variant="white">
        <H2>{tm('dashboard_title')}</H2>
        <Text mb="lg">{tm('dashboard_intro')}</Text>
        {rows === null ? (
          <Text role="status">{tm('dashboard_loading')}</Text>
        ) : (
          <Box style={{ overflowX: 'auto' }}>
            <Table>
              <TableHead>
                <TableRow>
                  {column('association', tm('dashboard_association'))}
                  {column('members', tm('dashboard_members'))}
                  {column('withEmail', tm('dashboard_withEmail'))}
                  {STATES.map((state) => column(state, tm(`dashboard_state_${state}`)))}
                  {LETTERS.map((letter) => column(letter, tm(`dashboard_letter_${letter}`)))}
                  {column('openCases', tm('dashboard_openCases'))}
                </TableRow>
              </TableHead>
              <TableBody>
                {rows.map((row) => (
                  <TableRow key={row.associationId}>
                    <TableCell as="th" scope="row">{row.association}</TableCell>
                    <TableCell>{count(row.members, membersUrl(row.associationId), `${row.association}, ${tm('dashboard_members')}`)}</TableCell>
                    <TableCell>{row.withEmail}</TableCell>
                    {STATES.map((state) => (
                      <TableCell key={state}>{count(row.states[state], membersUrl(row.associationId, { state }), `${row.association}, ${tm(`dashboard_state_${state}`)}`)}</TableCell>
                    ))}
                    {LETTERS.map((letter) => (
                      <TableCell key={letter}>{count(row.letters[letter], membersUrl(row.associationId, { letter }), `${row.association}, ${tm(`dashboard_letter_${letter}`)}`)}</TableCell>
                    ))}
                    <TableCell>{count(row.openCases, casesUrl(`filters.association_id=${row.associationId}&filters.state=open`), `${row.association}, ${tm('dashboard_openCases')}`)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
            {withoutAssociation !== null && withoutAssociation > 0 ? (
              <Text mt="lg">
                <a href={casesUrl('filters.state=open-no-association')}>{tm('dashboard_casesWithoutAssociation', { count: withoutAssociation })}</a>
              </Text>
            ) : null}
          </Box>
        )}
      </Box>
    </Box>
  );
};

export default Dashboard;
