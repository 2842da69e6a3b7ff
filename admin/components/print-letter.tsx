import { Box, Button, H3, Text } from '@adminjs/design-system';
import { ApiClient, ViewHelpers, useTranslation, type ActionProps } from 'adminjs';
import React, { useEffect, useState } from 'react';
import type { LetterPreview } from '../../src/letters/letter-preview.js';
import { shownDate } from './letter-date.js';

const api = new ApiClient();
const h = new ViewHelpers();

/**
 * «Tulosta aktivointikirje» for one member: first what printing does and to whom (the address as
 * the envelope's window shows it, how long the code works, what it ends), or why no letter can be
 * made; then a plain form that posts to admin/letter-routes.ts, whose answer the browser downloads.
 * Opening this page makes nothing.
 */
const PrintLetter: React.FC<ActionProps> = ({ action, resource, record }) => {
  const { translateMessage: tm, i18n } = useTranslation();
  const [preview, setPreview] = useState<LetterPreview | null>(null);
  const [failed, setFailed] = useState(false);
  const [submitted, setSubmitted] = useState(false);

  useEffect(() => {
    if (!record) return;
    api
      .recordAction({ resourceId: resource.id, recordId: String(record.id), actionName: action.name })
      .then((response) => {
        const answer = (response.data as unknown as { preview?: LetterPreview | null }).preview;
        if (answer) setPreview(answer);
        else setFailed(true);
      }, () => setFailed(true));
  }, [record?.id]);

  const back = record ? h.recordActionUrl({ resourceId: resource.id, recordId: String(record.id), actionName: 'show' }) : h.resourceUrl({ resourceId: resource.id });
  if (failed) return <Box variant="white"><Text role="alert">{tm('letter_error', resource.id)}</Text></Box>;
  if (!preview) return <Box variant="white"><Text role="status">{tm('letter_loading', resource.id)}</Text></Box>;

  const who = { name: preview.name, number: preview.memberNumber };
  if (preview.refusal) {
    return (
      <Box variant="white">
        <H3>{tm('letter_refusedTitle', resource.id, who)}</H3>
        <Text mb="lg">{tm(`letter_refused_${preview.refusal}`, resource.id)}</Text>
        <Text><a href={back}>{tm('letter_back', resource.id)}</a></Text>
      </Box>
    );
  }
  return (
    <Box variant="white">
      <H3>{tm('letter_question', resource.id, who)}</H3>
      <Text mb="sm">{tm('letter_addressIntro', resource.id)}</Text>
      <Box mb="lg" pl="lg" style={{ borderLeft: '4px solid currentColor' }}>
        {[preview.name, ...(preview.address ?? [])].map((line) => <Text key={line}>{line}</Text>)}
      </Box>
      <Text mb="default">{tm('letter_validity', resource.id, { days: preview.validDays, date: shownDate(preview.validUntil, i18n.language) })}</Text>
      <Text mb="default">
        {preview.liveLetterAt ? tm('letter_replaces', resource.id, { date: shownDate(preview.liveLetterAt, i18n.language) }) : tm('letter_onlyNewest', resource.id)}
      </Text>
      {preview.hasPassword && <Text mb="default">{tm('letter_hasPassword', resource.id)}</Text>}
      {preview.hasEmail && <Text mb="default">{tm('letter_hasEmail', resource.id)}</Text>}
      <form method="post" action={h.urlBuilder(['aktivointikirjeet'])} onSubmit={() => setSubmitted(true)}>
        <input type="hidden" name="memberId" value={String(record!.id)} />
        <Box mt="xl" flex flexDirection="row" style={{ gap: '16px', flexWrap: 'wrap' }}>
          <Button type="submit" variant="contained">{tm('letter_submit', resource.id)}</Button>
          <Button as="a" href={back} variant="outlined">{tm('letter_cancel', resource.id)}</Button>
        </Box>
      </form>
      <div role="status">{submitted ? <Text mt="lg">{tm('letter_made', resource.id)}</Text> : null}</div>
    </Box>
  );
};

export default PrintLetter;
