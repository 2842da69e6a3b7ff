import { Text, ValueGroup } from '@adminjs/design-system';
import { ApiClient, useTranslation, type BasePropertyProps } from 'adminjs';
import React, { useEffect, useState } from 'react';
import type { LetterStatusLine } from '../../src/letters/letter-status.js';
import { letterTexts } from './letter-texts.js';

const api = new ApiClient();

/**
 * «Aktivointikirje» on the member's page: the newest printed letter and what became of its code, or
 * that none was printed, as plain text under the property's label. Read through the hidden record
 * action letterStatus (admin/actions/letter-actions.ts), which finds the member through the scoped
 * data layer; every letter is listed under «Sähköpostien tila».
 */
const LetterStatus: React.FC<BasePropertyProps> = ({ record, property, resource, where }) => {
  const { translateMessage: tm, translateProperty: tp, i18n } = useTranslation();
  const [letter, setLetter] = useState<LetterStatusLine | null | undefined>(undefined);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (!record?.id || where !== 'show') return;
    api
      .recordAction({ resourceId: resource.id, recordId: String(record.id), actionName: 'letterStatus' })
      .then((response) => setLetter((response.data as unknown as { letter?: LetterStatusLine | null }).letter ?? null), () => setFailed(true));
  }, [record?.id, where]);
  if (where !== 'show') return null;

  let content: React.ReactNode;
  if (failed) content = <Text>{tm('letterStatus_error', resource.id)}</Text>;
  else if (letter === undefined) content = <Text role="status">{tm('letterStatus_loading', resource.id)}</Text>;
  else if (letter === null) content = <Text>{tm('letterStatus_none', resource.id)}</Text>;
  else {
    const texts = letterTexts(letter, tm, resource.id, i18n.language);
    content = (
      <>
        <Text>{texts.printed}</Text>
        <Text>{texts.code}</Text>
      </>
    );
  }
  return <ValueGroup label={tp(property.path, resource.id)}>{content}</ValueGroup>;
};

export default LetterStatus;
