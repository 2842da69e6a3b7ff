import { Box, Button, H3, Text } from '@adminjs/design-system';
import { ApiClient, ViewHelpers, useTranslation, type ActionProps } from 'adminjs';
import React, { useEffect, useState } from 'react';
import type { LetterGroup, LettersPreview } from '../../src/letters/letter-batches.js';
import { shownDate } from './letter-date.js';

const api = new ApiClient();
const h = new ViewHelpers();

/**
 * Activation letters for the selected members, or for everyone without email and password: first
 * how many letters and who is left out and why (the numbers come from src/letters/letter-batches.ts),
 * then a plain form posting to admin/letter-routes.ts, which answers one PDF, a page per member.
 * Opening this page makes nothing.
 */
const PrintLetters: React.FC<ActionProps> = ({ action, resource, records }) => {
  const { translateMessage: tm, i18n } = useTranslation();
  const [preview, setPreview] = useState<LettersPreview | null>(null);
  const [failed, setFailed] = useState(false);
  const [submitted, setSubmitted] = useState(false);
  const ids = (records ?? []).map((record) => String(record.id));

  useEffect(() => {
    const options = { resourceId: resource.id, actionName: action.name };
    const call = action.actionType === 'bulk' ? api.bulkAction({ ...options, recordIds: ids }) : api.resourceAction(options);
    call.then((response) => {
      const answer = (response.data as unknown as { preview?: LettersPreview }).preview;
      if (answer) setPreview(answer);
      else setFailed(true);
    }, () => setFailed(true));
  }, [action.name, ids.join(',')]);

  const listUrl = h.resourceUrl({ resourceId: resource.id });
  if (failed) return <Box variant="white"><Text role="alert">{tm('letter_error', resource.id)}</Text></Box>;
  if (!preview) return <Box variant="white"><Text role="status">{tm('letters_loading', resource.id)}</Text></Box>;

  const numbers = (group: LetterGroup) =>
    group.sample.join(', ') + (group.count > group.sample.length ? ` ${tm('letters_more', resource.id, { count: group.count - group.sample.length })}` : '');
  const leftOut = (['membershipEnded', 'noPostalAddress', 'hasLetter'] as const).filter((reason) => preview.leftOut[reason].count > 0);
  return (
    <Box variant="white">
      <H3>{tm('letters_title', resource.id)}</H3>
      <Text mb="default">{preview.letters > 0 ? tm('letters_count', resource.id, { count: preview.letters }) : tm('letters_nobody', resource.id)}</Text>
      {preview.letters > 0 && <Text mb="default">{tm('letters_validity', resource.id, { days: preview.validDays, date: shownDate(preview.validUntil, i18n.language) })}</Text>}
      {preview.replacingLetter > 0 && <Text mb="default">{tm('letters_replacing', resource.id, { count: preview.replacingLetter })}</Text>}
      {preview.withPassword > 0 && <Text mb="default">{tm('letters_withPassword', resource.id, { count: preview.withPassword })}</Text>}
      {leftOut.map((reason) => (
        <Text key={reason} mb="default">{tm(`letters_${reason}`, resource.id, { count: preview.leftOut[reason].count, numbers: numbers(preview.leftOut[reason]) })}</Text>
      ))}
      <form method="post" action={h.urlBuilder(['aktivointikirjeet'])} onSubmit={() => setSubmitted(true)}>
        {action.actionType === 'bulk' ? (
          <>
            <input type="hidden" name="selection" value="selected" />
            <input type="hidden" name="memberIds" value={ids.join(',')} />
          </>
        ) : (
          <input type="hidden" name="selection" value="without-email-or-password" />
        )}
        <Box mt="xl" flex flexDirection="row" style={{ gap: '16px', flexWrap: 'wrap' }}>
          {preview.letters > 0 && <Button type="submit" variant="contained">{tm('letters_submit', resource.id, { count: preview.letters })}</Button>}
          <Button as="a" href={listUrl} variant="outlined">{tm('letter_cancel', resource.id)}</Button>
        </Box>
      </form>
      <div role="status">{submitted ? <Text mt="lg">{tm('letters_made', resource.id)}</Text> : null}</div>
    </Box>
  );
};

export default PrintLetters;
