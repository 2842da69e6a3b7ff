import { Box, Button, FormGroup, H3, Input, Label, Text } from '@adminjs/design-system';
import { ApiClient, useNotice, useTranslation, ViewHelpers, type ActionProps } from 'adminjs';
import React, { useEffect, useRef, useState } from 'react';
import { CLOSE_REASONS, type CloseReason } from '../../src/cases/close-reasons.js';
import type { MemberChoice } from '../../src/cases/member-choices.js';

const api = new ApiClient();
const h = new ViewHelpers();

type Answer = { suggestions?: MemberChoice[]; choices?: MemberChoice[]; notice?: { message: string; type: 'success' | 'error' }; nextCaseId?: number | null };

/**
 * Resolving a "user not found" case in one confirmed step. Staff choose the member from the
 * suggestions (the number or name the requester gave, names that resemble the address) or from a
 * search by name, number or address; each choice shows the member's current address and whether a
 * link can be sent, before anything changes. Then the address is added, a link sent, the case closed.
 * A case no member can be given is closed with a reason instead. Either way the page then offers the
 * next open case, so a morning's queue is cleared from here.
 */
const ResolveCase: React.FC<ActionProps> = ({ resource, record }) => {
  const { translateMessage: tm } = useTranslation();
  const addNotice = useNotice();
  const recordId = String(record!.id);
  const [suggestions, setSuggestions] = useState<MemberChoice[] | null>(null);
  const [results, setResults] = useState<MemberChoice[] | null>(null);
  const [query, setQuery] = useState('');
  const [chosen, setChosen] = useState<number | null>(null);
  const [done, setDone] = useState<'resolved' | 'closed' | null>(null);
  const [busy, setBusy] = useState(false);
  const [closeReason, setCloseReason] = useState<CloseReason | null>(null);
  const [nextCaseId, setNextCaseId] = useState<number | null>(null);
  const status = useRef<HTMLDivElement>(null);
  const doneHeading = useRef<HTMLHeadingElement>(null);
  const address = String(record?.params.email_to_add || record?.params.email_typed || '–');

  useEffect(() => {
    setDone(null);
    setChosen(null);
    setResults(null);
    setCloseReason(null);
    setSuggestions(null);
    api.recordAction({ resourceId: resource.id, recordId, actionName: 'resolve' }).then(
      (response) => {
        setSuggestions((response.data as Answer).suggestions ?? []);
        setNextCaseId((response.data as Answer).nextCaseId ?? null);
      },
      () => setSuggestions([]),
    );
  }, [recordId]);

  useEffect(() => {
    if (!done) return;
    doneHeading.current?.focus();
    // Reloading the page now shows the case, not a form for a case that is no longer open.
    window.history.replaceState(window.history.state, '', h.recordActionUrl({ resourceId: resource.id, recordId, actionName: 'show' }));
  }, [done]);

  const finish = (answer: Answer, outcome: 'resolved' | 'closed') => {
    if (answer.notice) addNotice(answer.notice);
    if (answer.nextCaseId !== undefined) setNextCaseId(answer.nextCaseId);
    if (answer.notice?.type === 'success') setDone(outcome);
  };

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
      finish(response.data as Answer, 'resolved');
    } finally {
      setBusy(false);
    }
  };

  const close = async (event: React.FormEvent) => {
    event.preventDefault();
    if (closeReason === null) return addNotice({ message: tm('close_chooseReason', resource.id), type: 'error' });
    setBusy(true);
    try {
      const response = await api.recordAction({ resourceId: resource.id, recordId, actionName: 'closeCase', method: 'post', data: { reason: closeReason } });
      finish(response.data as Answer, 'closed');
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
        <Box mt="lg">
          {/* A plain heading: the design system's H4 does not pass a ref on, and the outcome takes the focus. */}
          <h4 ref={doneHeading} tabIndex={-1} style={{ fontSize: '18px', fontWeight: 'normal', margin: '0 0 16px' }}>
            {tm(done === 'resolved' ? 'resolve_done' : 'close_done', resource.id)}
          </h4>
          <Text mb="lg">
            {nextCaseId !== null ? (
              <a href={h.recordActionUrl({ resourceId: resource.id, recordId: String(nextCaseId), actionName: 'resolve' })}>{tm('resolve_nextCase', resource.id)}</a>
            ) : (
              tm('resolve_noMoreCases', resource.id)
            )}
          </Text>
          <Text>
            <a href={h.resourceUrl({ resourceId: resource.id })}>{tm('resolve_backToCases', resource.id)}</a>
          </Text>
        </Box>
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
          <form onSubmit={close}>
            <fieldset style={{ border: 0, padding: 0, margin: '32px 0 16px' }}>
              <legend><Text as="span" fontWeight="bold">{tm('close_legend', resource.id)}</Text></legend>
              <Text mb="default">{tm('close_intro', resource.id)}</Text>
              <ul style={{ padding: 0 }}>
                {CLOSE_REASONS.map((reason) => (
                  <li key={reason} style={{ listStyle: 'none', marginBottom: '8px' }}>
                    <input type="radio" id={`close-${reason}`} name="reason" value={reason} checked={closeReason === reason} onChange={() => setCloseReason(reason)} />{' '}
                    <label htmlFor={`close-${reason}`}>{tm(`close_reason_${reason}`, resource.id)}</label>
                  </li>
                ))}
              </ul>
            </fieldset>
            <Button type="submit" variant="outlined" disabled={busy}>{tm('close_submit', resource.id)}</Button>
          </form>
        </>
      )}
    </Box>
  );
};

export default ResolveCase;
