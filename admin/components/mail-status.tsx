import { Box, H3, H4, Table, TableBody, TableCell, TableHead, TableRow, Text } from '@adminjs/design-system';
import { ApiClient, useTranslation, type ActionProps } from 'adminjs';
import React, { useEffect, useState } from 'react';
import type { LetterStatusLine } from '../../src/letters/letter-status.js';
import type { MailStatusLine as Line } from '../../src/mail/status-for-member.js';
import { letterTexts } from './letter-texts.js';

const api = new ApiClient();
const LOCALES: Record<string, string> = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' };

/**
 * The member's mail in plain words (record action «Sähköpostien tila»): what happened to each, and
 * when one did not go, what to do about it; the server's own words under a detail. Then the printed
 * activation letters, newest first, under a heading of their own: when each was printed and what
 * became of its code.
 */
const MailStatus: React.FC<ActionProps> = ({ resource, record }) => {
  const { translateMessage: tm, i18n } = useTranslation();
  const [lines, setLines] = useState<Line[] | null>(null);
  const [letters, setLetters] = useState<LetterStatusLine[]>([]);
  useEffect(() => {
    if (!record) return;
    api
      .recordAction({ resourceId: resource.id, recordId: String(record.id), actionName: 'mailStatus', params: { load: '1' } })
      .then((response) => {
        const answer = response.data as unknown as { lines?: Line[]; letters?: LetterStatusLine[] };
        setLetters(answer.letters ?? []);
        setLines(answer.lines ?? []);
      });
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
      {lines === null ? null : (
        <>
          <H4 id="letters-heading" mt="xl">{tm('letterStatus_title', resource.id)}</H4>
          {letters.length === 0 ? (
            <Text>{tm('letterStatus_none', resource.id)}</Text>
          ) : (
            <Table aria-labelledby="letters-heading">
              <TableHead>
                <TableRow>
                  <TableCell as="th" scope="col">{tm('letterStatus_letter', resource.id)}</TableCell>
                  <TableCell as="th" scope="col">{tm('letterStatus_code', resource.id)}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {letters.map((letter, i) => {
                  const texts = letterTexts(letter, tm, resource.id, i18n.language);
                  return (
                    <TableRow key={i}>
                      <TableCell>{texts.printed}</TableCell>
                      <TableCell>{texts.code}</TableCell>
                    </TableRow>
                  );
                })}
              </TableBody>
            </Table>
          )}
        </>
      )}
    </Box>
  );
};

export default MailStatus;
