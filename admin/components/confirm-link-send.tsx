import { Box, Button, H3, Text } from '@adminjs/design-system';
import { ApiClient, ViewHelpers, useTranslation, type ActionProps } from 'adminjs';
import React, { useEffect, useRef, useState } from 'react';
import type { LinkSendPreview, LinkSendProgress } from '../../src/passwords/link-batches.js';

const api = new ApiClient();
const h = new ViewHelpers();
const POLL_MS = 2000;

type Answer = { preview?: LinkSendPreview; progress?: LinkSendProgress | null };

/**
 * The confirmation of a bulk link send («… valituille», «… kaikille ilman salasanaa»): first how
 * many get a link and who does not (and why), then, once confirmed, the send's progress until every
 * mail has left. The numbers come from the server (src/passwords/link-batches.ts), never from here.
 */
const ConfirmLinkSend: React.FC<ActionProps> = ({ action, resource, records }) => {
  const { translateMessage: tm } = useTranslation();
  const [preview, setPreview] = useState<LinkSendPreview | null>(null);
  const [progress, setProgress] = useState<LinkSendProgress | null>(null);
  const [failed, setFailed] = useState(false);
  const [sending, setSending] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);

  const call = async (data?: Record<string, string>): Promise<Answer> => {
    const options = { resourceId: resource.id, actionName: action.name, data, method: data ? ('post' as const) : ('get' as const) };
    const response = action.actionType === 'bulk'
      ? await api.bulkAction({ ...options, recordIds: (records ?? []).map((record) => String(record.id)) })
      : await api.resourceAction(options);
    return response.data as unknown as Answer;
  };

  useEffect(() => {
    call().then((answer) => setPreview(answer.preview ?? null), () => setFailed(true));
  }, [action.name, records?.length]);

  // While a send goes on, ask how far it has got; stop when every mail has been handled.
  useEffect(() => {
    if (!progress || progress.done) return undefined;
    const timer = setTimeout(async () => {
      const response = await api.resourceAction({ resourceId: resource.id, actionName: 'linkSendProgress', params: { batchId: String(progress.batchId) } }).catch(() => undefined);
      const next = (response?.data as unknown as Answer | undefined)?.progress;
      setProgress(next ?? { ...progress });
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [progress]);

  const confirm = async () => {
    setSending(true);
    try {
      const answer = await call({ confirm: '1' });
      if (answer.progress) setProgress(answer.progress);
      else setFailed(true);
    } catch {
      setFailed(true);
    } finally {
      setSending(false);
    }
  };
  // When the send starts the page changes under the button: the new heading takes the focus and is read out.
  useEffect(() => {
    if (progress) heading.current?.focus();
  }, [progress !== null]);

  const numbers = (group: { count: number; sample: string[] }) =>
    group.sample.join(', ') + (group.count > group.sample.length ? ` ${tm('linkSend_more', resource.id, { count: group.count - group.sample.length })}` : '');
  const listUrl = h.resourceUrl({ resourceId: resource.id });

  return (
    <Box variant="white">
      <H3 ref={heading} tabIndex={-1}>{progress ? tm(progress.done ? 'linkSend_done' : 'linkSend_running', resource.id) : tm('linkSend_title', resource.id)}</H3>
      {failed ? (
        <Text role="alert">{tm('linkSend_error', resource.id)}</Text>
      ) : progress ? (
        <Box>
          <Text mb="default">{tm('linkSend_handled', resource.id, { count: progress.members, done: progress.members - progress.preparing })}</Text>
          <Text mb="default">{tm('linkSend_mails', resource.id, progress.mails)}</Text>
          {progress.tooMany > 0 && <Text mb="default">{tm('linkSend_tooMany', resource.id, { count: progress.tooMany })}</Text>}
          {progress.skipped > 0 && <Text mb="default">{tm('linkSend_skipped', resource.id, { count: progress.skipped })}</Text>}
          {progress.failed > 0 && <Text mb="default">{tm('linkSend_failed', resource.id, { count: progress.failed })}</Text>}
          {progress.mails.failed > 0 && <Text mb="default">{tm('linkSend_failedHelp', resource.id)}</Text>}
          <Text mt="lg"><a href={listUrl}>{tm('linkSend_back', resource.id)}</a></Text>
        </Box>
      ) : !preview ? (
        <Text role="status">{tm('linkSend_loading', resource.id)}</Text>
      ) : (
        <Box>
          <Text mb="default">{preview.members > 0 ? tm('linkSend_members', resource.id, { count: preview.members }) : tm('linkSend_nobody', resource.id)}</Text>
          {preview.mails < preview.members && <Text mb="default">{tm('linkSend_shared', resource.id, { count: preview.mails })}</Text>}
          {preview.noEmail.count > 0 && <Text mb="default">{tm('linkSend_noEmail', resource.id, { count: preview.noEmail.count, numbers: numbers(preview.noEmail) })}</Text>}
          {preview.ended.count > 0 && <Text mb="default">{tm('linkSend_ended', resource.id, { count: preview.ended.count, numbers: numbers(preview.ended) })}</Text>}
          <Box mt="xl" flex flexDirection="row" style={{ gap: '16px', flexWrap: 'wrap' }}>
            {preview.members > 0 && (
              <Button type="button" variant="contained" disabled={sending} onClick={confirm}>
                {tm('linkSend_confirm', resource.id, { count: preview.members })}
              </Button>
            )}
            <Button as="a" href={listUrl} variant="outlined">{tm('linkSend_cancel', resource.id)}</Button>
          </Box>
        </Box>
      )}
    </Box>
  );
};

export default ConfirmLinkSend;
