import { Box, Button, H3, Text } from '@adminjs/design-system';
import { ApiClient, useNotice, useTranslation, type ActionProps } from 'adminjs';
import React, { useRef, useState } from 'react';

const api = new ApiClient();

type Answer = { notice?: { message: string; type: 'success' | 'error' } };

/**
 * «Lähetä kutsu uudelleen»: a page of its own rather than a pop-up confirmation, saying to whom the
 * new invitation goes before anything is sent; the answer is read out where the button was.
 */
const ResendInvitation: React.FC<ActionProps> = ({ resource, record, action }) => {
  const { translateMessage: tm } = useTranslation();
  const addNotice = useNotice();
  const [answer, setAnswer] = useState<Answer['notice'] | null>(null);
  const [busy, setBusy] = useState(false);
  const status = useRef<HTMLDivElement>(null);
  const name = String(record?.params.name ?? '');
  const email = String(record?.params.email ?? '');
  const active = record?.params.active === true || record?.params.active === 'true';

  const send = async (event: React.FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      const response = await api.recordAction({ resourceId: resource.id, recordId: String(record!.id), actionName: action.name, method: 'post', data: { confirm: '1' } });
      const notice = (response.data as Answer).notice ?? { message: 'resendInvitation_error', type: 'error' as const };
      setAnswer(notice);
      addNotice(notice);
    } catch {
      setAnswer({ message: 'resendInvitation_error', type: 'error' });
    } finally {
      setBusy(false);
      status.current?.focus();
    }
  };

  return (
    <Box variant="white">
      <H3>{tm('resendInvitation_title', resource.id)}</H3>
      <div ref={status} tabIndex={-1} role="status">
        {answer ? <Text mb="lg">{tm(answer.message, resource.id, { email })}</Text> : null}
      </div>
      {!answer && !active ? <Text mb="lg">{tm('resendInvitation_inactive', resource.id, { name, email })}</Text> : null}
      {!answer && active ? (
        <form onSubmit={send}>
          <Text mb="default">{tm('resendInvitation_question', resource.id, { name, email })}</Text>
          <Text mb="lg">{tm('resendInvitation_explain', resource.id)}</Text>
          <Button type="submit" variant="contained" disabled={busy}>{tm('resendInvitation_submit', resource.id)}</Button>
        </form>
      ) : null}
    </Box>
  );
};

export default ResendInvitation;
