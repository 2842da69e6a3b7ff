import { Box, Text } from '@adminjs/design-system';
import { useTranslation, type BasePropertyProps } from 'adminjs';
import React from 'react';

type Change = { old: unknown; new: unknown };
const isChange = (value: unknown): value is Change => typeof value === 'object' && value !== null && 'old' in value && 'new' in value;
const shown = (value: unknown) => (value === null || value === undefined || value === '' ? '–' : String(value));

/**
 * An audit row's details in plain words: a changed field as «Sähköposti: vanha → uusi» (member fields
 * named as on the member's page), counts and reasons with their names from the catalog.
 */
const AuditDetails: React.FC<BasePropertyProps> = ({ record, property, where }) => {
  const { translateProperty: tp, translateMessage: tm } = useTranslation();
  const raw = record?.params ?? {};
  // AdminJS flattens JSON: details.email.old, details.email.new, details.caseId …
  const prefix = `${property.path}.`;
  const details: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!key.startsWith(prefix)) continue;
    const [field, part] = key.slice(prefix.length).split('.');
    if (part === 'old' || part === 'new') details[field!] = { ...(details[field!] as object), [part]: value };
    else details[field!] = value;
  }
  const lines = Object.entries(details).map(([field, value]) =>
    isChange(value)
      ? `${tp(field, 'members', { defaultValue: field })}: ${shown(value.old)} → ${shown(value.new)}`
      : `${tm(`auditDetail_${field}`, 'audit_log', { defaultValue: field })}: ${shown(value)}`,
  );
  if (lines.length === 0) return null;
  if (where === 'list') return <Text>{lines.join('; ')}</Text>;
  return (
    <Box mb="xl">
      <Text as="h2" fontWeight="bold" mb="sm">{tp(property.path, 'audit_log')}</Text>
      <ul>{lines.map((line) => <li key={line}>{line}</li>)}</ul>
    </Box>
  );
};

export default AuditDetails;
