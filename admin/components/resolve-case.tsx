import { Box, Button, FormGroup, H3, Input, Label, Text } from '@adminjs/design-system';
import { ApiClient, useNotice, useTranslation, type ActionProps } from 'adminjs';
import React, { useEffect, useRef, useState } from 'react';
import type { MemberChoice } from '../../src/cases/member-choices.js';

const api = new ApiClient();

type Answer = { suggestions?: MemberChoice[]; choices?: MemberChoice[]; notice?: { message: string; type: 'success' | 'error' } };

/**
 * Resolving a "user not found" case in one confirmed step. Staff choose the member from the
 * suggestions (the number or name the requester gave, names that resemble the address) or from a
 * search by name, number or address; each choice shows the member's current address and whether a
 * link can be sent, before anything changes. Then the address is added, a link sent, the case closed.
 */
const ResolveCase: React.FC<ActionProps> = ({ resource, record }) => {
  const { translateMessage: tm } = useTranslation();
  const addNotice = useNotice();
  const recordId = String(record!.id);
  const [suggestions, setSuggestions] = useState<MemberChoice[] | null>(null);
  const [results, setResults] = useState<MemberChoice[] | null>(null);
  const [query, setQuery] = useState('');
  const [chosen, setChosen] = useState<number | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const status = useRef<HTMLDivElement>(null);
  const address = String(record?.params.email_to_add || record?.params.email_typed || '–');

  useEffect(() => {
    api.recordAction({ resourceId: resource.id, recordId, actionName: 'resolve' }).then(
      (response) => setSuggestions((response.data as Answer).suggestions ?? []),
      () => setSuggestions([]),
    );
  }, [recordId]);

  const search = async (event: React.FormEvent) => {
    event.preventDefault();
    const response = await api.recordAction({ resourceId: resource.id, recordId, actionName: 'findMembers', params: { q: query } });
    setResults((response.data as Answer).choices ?? []);
  };

  const resolve = async (event: React.FormEvent) => {
    event.preventDefault();
    if (chosen === null) return addNotice({ message: tm('resolve_chooseFirst', resource.id), type: 'error' });
    setBusy(true);
    try {
      const response = await api.recordAction({ resourceId: resource.id, recordId, actionName: 'resolve', method: 'post', data: { memberId: String(chosen) } });
      const notice = (response.data as Answer).notice;
      if (notice) addNotice(notice);
      if (notice?.type === 'success') setDone(true);
    } finally {
      setBusy(false);
    }
  };

  const option = (choice: MemberChoice) => (
    <li key={`${choice.reason}-${choice.id}`} style={{ listStyle: 'none', marginBottom: '12px' }}>
      <input type="radio" id={`member-${choice.reason}-${choice.id}`} name="memberId" value={choice.id} checked={chosen === choice.id} onChange={() => setChosen(choice.id)} />{' '}
      <label htmlFor={`member-${choice.reason}-${choice.id}`}>
        <strong>{choice.name} ({choice.memberNumber})</strong>, {choice.association}. {tm(`resolve_reason_${choice.reason}`, resource.id)}{' '}
        {choice.email ? tm('resolve_currentAddress', resource.id, { email: choice.email }) : tm('resolve_noAddress', resource.id)}{' '}
        {choice.whyNoLink ? tm(`resolve_noLink_${choice.whyNoLink}`, resource.id) : tm('resolve_linkCanBeSent', resource.id)}
      </label>
    </li>
  );

  return (
    <Box variant="white">
      <H3>{tm('resolve_title', resource.id)}</H3>
      <Text mb="lg">{tm('resolve_intro', resource.id, { address })}</Text>
      {record?.params.name ? <Text mb="lg">{tm('resolve_requester', resource.id, { name: String(record.params.name), memberNumber: String(record.params.member_number || '–') })}</Text> : null}
      {done ? (
        <Text role="status">{tm('resolve_done', resource.id)}</Text>
      ) : (
        <>
          <form onSubmit={search} role="search">
            <FormGroup>
              <Label htmlFor="resolve-search">{tm('resolve_searchLabel', resource.id)}</Label>
              <Input id="resolve-search" name="q" value={query} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setQuery(e.target.value)} />
            </FormGroup>
            <Button type="submit" variant="outlined">{tm('resolve_searchButton', resource.id)}</Button>
          </form>
          <div ref={status} role="status" aria-live="polite">
            {suggestions === null ? tm('resolve_loading', resource.id) : results !== null ? tm('resolve_results', resource.id, { count: results.length }) : ''}
          </div>
          <form onSubmit={resolve}>
            <fieldset style={{ border: 0, padding: 0, margin: '16px 0' }}>
              <legend><Text as="span" fontWeight="bold">{tm('resolve_chooseLegend', resource.id)}</Text></legend>
              {suggestions !== null && suggestions.length === 0 && results === null ? <Text>{tm('resolve_noSuggestions', resource.id)}</Text> : null}
              <ul style={{ padding: 0 }}>
                {(suggestions ?? []).map(option)}
                {(results ?? []).filter((r) => !(suggestions ?? []).some((s) => s.id === r.id)).map(option)}
              </ul>
            </fieldset>
            <Button type="submit" variant="contained" disabled={busy}>{tm('resolve_submit', resource.id)}</Button>
          </form>
        </>
      )}
    </Box>
  );
};

export default ResolveCase;
