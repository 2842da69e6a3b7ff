import { Box, Text } from '@adminjs/design-system';
import { useTranslation, type BasePropertyProps } from 'adminjs';
import React from 'react';

type Change = { old: unknown; new: unknown };
const isChange = (value: unknown): value is Change => typeof value === 'object' && value !== null && 'old' in value && 'new' in value;

/**
 * An audit row's details in plain words: a changed field as «Sähköposti: vanha → uusi» (member and
 * staff fields named as on their pages), counts and reasons with their names from the catalog. Values
 * are words too: yes/no, a role or a language as on its page, the log's own codes from the catalog.
 */
const AuditDetails: React.FC<BasePropertyProps> = ({ record, property, where }) => {
  const { translateProperty: tp, translateMessage: tm, translateLabel: tl } = useTranslation();
  const fieldName = (field: string) => tp(field, 'members', { defaultValue: tp(field, 'staff_users', { defaultValue: field }) });
  const shown = (field: string, value: unknown) => {
    if (value === null || value === undefined || value === '') return '–';
    if (typeof value === 'boolean') return tm(`auditValue_${value}`, 'audit_log');
    const code = String(value);
    // A count or an id is itself: looked up as a label, «members.1» would be the 2nd letter of the label «members».
    if (typeof value === 'number' || /^\d+$/.test(code)) return code;
    const own = tm(`auditValue_${field}_${code}`, 'audit_log', { defaultValue: code });
    return tl(`${field}.${code}`, 'members', { defaultValue: tl(`${field}.${code}`, 'staff_users', { defaultValue: own }) });
  };
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
      ? `${fieldName(field)}: ${shown(field, value.old)} → ${shown(field, value.new)}`
      : `${tm(`auditDetail_${field}`, 'audit_log', { defaultValue: field })}: ${shown(field, value)}`,
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
