import { Text, ValueGroup } from '@adminjs/design-system';
import { useTranslation, type BasePropertyProps } from 'adminjs';
import React from 'react';
import { mailProblem, serverWords } from '../../src/mail/mail-problem.js';

/**
 * Why a mail did not go («Sähköpostit», its «Syy»), in the staff member's language: in the list what
 * the problem is, on the mail's page also what to do and the receiving server's own words under a
 * detail. The stored reason is not shown as it is: part of it is a fixed Finnish sentence or our
 * own note (src/mail/mail-problem.ts).
 */
const MailReason: React.FC<BasePropertyProps> = ({ record, property, resource, where }) => {
  const { translateMessage: tm, translateProperty: tp } = useTranslation();
  const status = String(record?.params.status ?? '');
  const reason = (record?.params[property.path] as string | null | undefined) ?? null;
  const problem = mailProblem(status, reason);
  if (!problem) return where === 'list' ? null : <ValueGroup label={tp(property.path, resource.id)}>–</ValueGroup>;
  if (where === 'list') return <Text>{tm(`mailProblemShort_${problem}`, resource.id)}</Text>;
  const words = serverWords(status, reason);
  return (
    <ValueGroup label={tp(property.path, resource.id)}>
      <Text>{tm(`mailProblem_${problem}`, resource.id)}</Text>
      {words ? (
        <details>
          <summary>{tm('mailStatus_rawReason', resource.id)}</summary>
          <Text as="span">{words}</Text>
        </details>
      ) : null}
    </ValueGroup>
  );
};

export default MailReason;
