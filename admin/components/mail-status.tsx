import { Box, H3, Table, TableBody, TableCell, TableHead, TableRow, Text } from '@adminjs/design-system';
import { ApiClient, useTranslation, type ActionProps } from 'adminjs';
import React, { useEffect, useState } from 'react';
import type { MailStatusLine as Line } from '../../src/mail/status-for-member.js';

const api = new ApiClient();
const LOCALES: Record<string, string> = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' };

/**
 * The member's mail in plain words (record action «Sähköpostien tila»): what happened to each, and
 * when one did not go, what to do about it; the server's own words under a detail.
 */
const MailStatus: React.FC<ActionProps> = ({ resource, record }) => {
  const { translateMessage: tm, i18n } = useTranslation();
  const [lines, setLines] = useState<Line[] | null>(null);
  useEffect(() => {
    if (!record) return;
    api
      .recordAction({ resourceId: resource.id, recordId: String(record.id), actionName: 'mailStatus', params: { load: '1' } })
      .then((response) => setLines((response.data as unknown as { lines?: Line[] }).lines ?? []));
  }, [record?.id]);
  const at = (iso: string | null) =>
    iso ? new Intl.DateTimeFormat(LOCALES[i18n.language] ?? 'fi-FI', { timeZone: 'Europe/Helsinki', dateStyle: 'long', timeStyle: 'short' }).format(new Date(iso)) : '';
  const status = (line: Line) => (
    <>
      <Text>{tm(`mailStatus_${line.status}`, resource.id, { at: at(line.sentAt ?? line.nextAttemptAt) })}</Text>
      {line.problem ? <Text mt="sm" fontWeight="bold">{tm(`mailProblem_${line.problem}`, resource.id)}</Text> : null}
      {line.rawReason ? (
        <details>
          <summary>{tm('mailStatus_rawReason', resource.id)}</summary>
          <Text as="span">{line.rawReason}</Text>
        </details>
      ) : null}
    </>
  );
  return (
    <Box variant="white">
      <H3>{tm('mailStatus_title', resource.id, { name: `${record?.params.first_name ?? ''} ${record?.params.last_name ?? ''}`.trim() })}</H3>
      {lines === null ? (
        <Text role="status">{tm('mailStatus_loading', resource.id)}</Text>
      ) : lines.length === 0 ? (
        <Text>{tm('mailStatus_none', resource.id)}</Text>
      ) : (
        <Table>
          <TableHead>
            <TableRow>
              <TableCell as="th" scope="col">{tm('mailStatus_created', resource.id)}</TableCell>
              <TableCell as="th" scope="col">{tm('mailStatus_message', resource.id)}</TableCell>
              <TableCell as="th" scope="col">{tm('mailStatus_state', resource.id)}</TableCell>
              <TableCell as="th" scope="col">{tm('mailStatus_link', resource.id)}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {lines.map((line, i) => (
              <TableRow key={i}>
                <TableCell>{at(line.created)}</TableCell>
                <TableCell>{tm(`mailTemplate_${line.template}`, resource.id)}</TableCell>
                <TableCell>{status(line)}</TableCell>
                <TableCell>{line.link ? tm(`mailLink_${line.link.state}`, resource.id, { at: at(line.link.at) }) : '–'}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Box>
  );
};

export default MailStatus;
