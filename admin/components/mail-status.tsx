import { Box, H3, Table, TableBody, TableCell, TableHead, TableRow, Text } from '@adminjs/design-system';
import { ApiClient, type ActionProps } from 'adminjs';
import React, { useEffect, useState } from 'react';
import type { MailStatusLine as Line } from '../../src/mail/status-for-member.js';

const api = new ApiClient();

/** The member's mail in plain words (record action «Sähköpostien tila»). */
const MailStatus: React.FC<ActionProps> = ({ resource, record }) => {
  const [lines, setLines] = useState<Line[] | null>(null);
  useEffect(() => {
    if (!record) return;
    api
      .recordAction({ resourceId: resource.id, recordId: String(record.id), actionName: 'mailStatus', params: { load: '1' } })
      .then((response) => setLines((response.data as unknown as { lines?: Line[] }).lines ?? []));
  }, [record?.id]);
  return (
    <Box variant="white">
      <H3>Sähköpostit: {record?.params.first_name} {record?.params.last_name}</H3>
      {lines === null ? (
        <Text>Ladataan…</Text>
      ) : lines.length === 0 ? (
        <Text>Jäsenelle ei ole lähetetty sähköpostia.</Text>
      ) : (
        <Table>
          <TableHead>
            <TableRow>
              <TableCell>Tilattu</TableCell>
              <TableCell>Viesti</TableCell>
              <TableCell>Tila</TableCell>
              <TableCell>Linkki</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {lines.map((line, i) => (
              <TableRow key={i}>
                <TableCell>{line.created}</TableCell>
                <TableCell>{line.message}</TableCell>
                <TableCell>{line.status}</TableCell>
                <TableCell>{line.link ?? '–'}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Box>
  );
};

export default MailStatus;
