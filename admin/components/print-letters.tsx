import { Box, Button, H3, Text } from '@adminjs/design-system';
import { ApiClient, ViewHelpers, useTranslation, type ActionProps } from 'adminjs';
import React, { useEffect, useRef, useState } from 'react';
import type { LetterGroup, LettersPreview } from '../../src/letters/letter-batches.js';
import { shownDate } from './letter-date.js';
import { downloadLetters, saveFile } from './letter-download.js';

const api = new ApiClient();
const h = new ViewHelpers();

/**
 * Activation letters for the selected members, or for everyone without email and password: first
 * how many letters and who is left out and why (the numbers come from src/letters/letter-batches.ts),
 * then a form posting to admin/letter-routes.ts, which answers one PDF, a page per member. The page
 * reads the PDF as it arrives and shows how many letters are done (a batch of thousands takes a while),
 * then hands the file to the browser; a screen reader hears the start, every quarter and the end.
 * Opening this page makes nothing.
 */
type Printing = { state: 'working'; done: number; total: number } | { state: 'done'; url: string; fileName: string; pages: number } | { state: 'failed'; message: string };
const PrintLetters: React.FC<ActionProps> = ({ action, resource, records }) => {
  const { translateMessage: tm, i18n } = useTranslation();
  const [preview, setPreview] = useState<LettersPreview | null>(null);
  const [failed, setFailed] = useState(false);
  const [printing, setPrinting] = useState<Printing | null>(null);
  const [announced, setAnnounced] = useState('');
  const quarter = useRef(0);
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

  useEffect(() => () => void (printing?.state === 'done' && URL.revokeObjectURL(printing.url)), [printing]);

  const print = async (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (printing?.state === 'working' || !preview) return;
    quarter.current = 0;
    setPrinting({ state: 'working', done: 0, total: preview.letters });
    setAnnounced(tm('letters_working', resource.id, { count: preview.letters }));
    try {
      const outcome = await downloadLetters(event.currentTarget, (done, total) => {
        const all = total ?? preview.letters;
        setPrinting({ state: 'working', done: Math.min(done, all), total: all });
        const reached = Math.floor((4 * done) / all);
        if (reached > quarter.current && done < all) {
          quarter.current = reached;
          setAnnounced(tm('letters_progress', resource.id, { done, total: all }));
        }
      });
      if (outcome.kind !== 'done') {
        setPrinting({ state: 'failed', message: outcome.kind === 'refused' ? outcome.message : tm('letters_notMade', resource.id) });
        setAnnounced('');
        return;
      }
      const url = URL.createObjectURL(outcome.file);
      setPrinting({ state: 'done', url, fileName: outcome.fileName, pages: outcome.pages });
      setAnnounced(tm('letters_made', resource.id, { count: outcome.pages }));
      saveFile(url, outcome.fileName);
    } catch {
      setPrinting({ state: 'failed', message: tm('letters_broken', resource.id) });
    }
  };

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
      <form method="post" action={h.urlBuilder(['aktivointikirjeet'])} onSubmit={print}>
        {action.actionType === 'bulk' ? (
          <>
            <input type="hidden" name="selection" value="selected" />
            <input type="hidden" name="memberIds" value={ids.join(',')} />
          </>
        ) : (
          <input type="hidden" name="selection" value="without-email-or-password" />
        )}
        <Box mt="xl" flex flexDirection="row" style={{ gap: '16px', flexWrap: 'wrap' }}>
          {preview.letters > 0 && (
            <Button type="submit" variant="contained" aria-disabled={printing?.state === 'working'}>
              {tm('letters_submit', resource.id, { count: preview.letters })}
            </Button>
          )}
          <Button as="a" href={listUrl} variant="outlined">{tm('letter_cancel', resource.id)}</Button>
        </Box>
      </form>
      {printing?.state === 'working' && (
        <Box mt="lg">
          <Text mb="sm">{tm('letters_progress', resource.id, { done: printing.done, total: printing.total })}</Text>
          <progress max={printing.total} value={printing.done} aria-label={tm('letters_progressLabel', resource.id)} style={{ width: '100%', height: '24px' }} />
        </Box>
      )}
      {printing?.state === 'done' && (
        <Text mt="lg">
          <a href={printing.url} download={printing.fileName}>{tm('letters_saveAgain', resource.id, { fileName: printing.fileName })}</a>
        </Text>
      )}
      {printing?.state === 'failed' && <Text mt="lg" role="alert">{printing.message}</Text>}
      <div role="status"><Text mt="lg">{announced}</Text></div>
    </Box>
  );
};

export default PrintLetters;
