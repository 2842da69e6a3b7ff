import { Text } from '@adminjs/design-system';
import React, { useEffect, useState } from 'react';
import { ApiClient, useActionResponseHandler, useTranslation, type ActionJSON } from '../adminjs-internals/frontend.js';
import ActionDialog from './action-dialog.js';

const api = new ApiClient();

/**
 * What an action with `custom.confirmFirst` answers when opened (GET) before it is done (POST):
 * catalog keys (admin/locale) and their values. No `confirm`: it cannot be done, `detail` says why.
 */
export type Confirmation = { question: string; detail?: string; options?: Record<string, string>; confirm?: boolean };

type Props = {
  action: ActionJSON;
  resourceId: string;
  recordId?: string;
  actionPerformed?: Parameters<typeof useActionResponseHandler>[0];
  onClose: () => void;
};

/** Whether AdminJS would ask before doing this action (its `guard`, on an action without a page of its own). */
export const asksFirst = (action: ActionJSON) => Boolean(action.guard) && action.component === false;

/**
 * Asks before a record action is done, in ActionDialog. An action that says what exactly it will do to
 * whom (custom.confirmFirst: «Lähetä salasanalinkki») is asked first and its answer shown, else the
 * action's `guard` text is the question. Confirming sends the action as POST; AdminJS's own handling
 * of the answer (notice, redirect, record update) follows.
 */
const ActionConfirm: React.FC<Props> = ({ action, resourceId, recordId, actionPerformed, onClose }) => {
  const { translateMessage: tm, translateButton: tb } = useTranslation();
  const handleResponse = useActionResponseHandler(actionPerformed);
  const asksServer = Boolean(action.custom?.confirmFirst);
  const [confirmation, setConfirmation] = useState<Confirmation | null>(asksServer ? null : { question: action.guard!, confirm: true });
  const [failed, setFailed] = useState(false);
  const [busy, setBusy] = useState(false);
  const params = { resourceId, actionName: action.name, ...(recordId ? { recordId } : {}) };

  useEffect(() => {
    if (!asksServer || !recordId) return;
    api.recordAction({ ...params, recordId, method: 'get' }).then(
      (response) => setConfirmation((response.data as { confirmation?: Confirmation }).confirmation ?? null),
      () => setFailed(true),
    );
  }, [action.name, recordId]);

  const confirm = async () => {
    setBusy(true);
    try {
      const response = recordId ? await api.recordAction({ ...params, recordId, method: 'post', data: {} }) : await api.resourceAction({ ...params, method: 'post', data: {} });
      onClose();
      handleResponse(response);
    } catch {
      setFailed(true);
      setBusy(false);
    }
  };

  const t = (key: string) => tm(key, resourceId, confirmation?.options);
  if (failed) return <ActionDialog title={tm('actionDialog_failed', resourceId)} onClose={onClose} />;
  // The dialog opens once it knows what to ask (a moment): its text does not change under a screen reader.
  if (!confirmation) return null;
  return (
    <ActionDialog title={t(confirmation.question)} confirmLabel={confirmation.confirm ? tb('confirm', resourceId) : undefined} onConfirm={confirm} onClose={onClose} busy={busy}>
      {confirmation.detail ? <Text>{t(confirmation.detail)}</Text> : null}
    </ActionDialog>
  );
};

export default ActionConfirm;
