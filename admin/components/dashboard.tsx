import { Box, H2, Table, TableBody, TableCell, TableHead, TableRow, Text } from '@adminjs/design-system';
import { ApiClient } from 'adminjs';
import React, { useEffect, useState } from 'react';
import type { AssociationFigures as Row } from '../../src/staff/dashboard.js';

const api = new ApiClient();

/** Per association (association staff: their own): members, with email, password set, links outstanding, open cases. */
const Dashboard: React.FC = () => {
  const [rows, setRows] = useState<Row[] | null>(null);
  useEffect(() => {
    api.getDashboard().then((response) => setRows((response.data as { rows: Row[] }).rows));
  }, []);
  return (
    <Box variant="grey">
      <Box variant="white">
        <H2>Yhdistysten tilanne</H2>
        {rows === null ? (
          <Text>Ladataan…</Text>
        ) : (
          <Table>
            <TableHead>
              <TableRow>
                <TableCell>Yhdistys</TableCell>
                <TableCell>Jäseniä</TableCell>
                <TableCell>Sähköposti tiedossa</TableCell>
                <TableCell>Salasana asetettu</TableCell>
                <TableCell>Voimassa olevia linkkejä</TableCell>
                <TableCell>Avoimia tapauksia</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {rows.map((row) => (
                <TableRow key={row.association}>
                  <TableCell>{row.association}</TableCell>
                  <TableCell>{row.members}</TableCell>
                  <TableCell>{row.withEmail}</TableCell>
                  <TableCell>{row.passwordSet}</TableCell>
                  <TableCell>{row.linksOutstanding}</TableCell>
                  <TableCell>{row.openCases}</TableCell>
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
