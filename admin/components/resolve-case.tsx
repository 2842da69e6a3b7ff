import { Box, Button, FormGroup, H3, Input, Label, Text } from '@adminjs/design-system';
import { ApiClient, useNotice, type ActionProps } from 'adminjs';
import React, { useState } from 'react';

const api = new ApiClient();

/**
 * Resolving a "user not found" case in one confirmed step: staff choose the member by number
 * (prefilled when the member gave one); the address is added, a link sent, the case closed.
 */
const ResolveCase: React.FC<ActionProps> = ({ resource, record }) => {
  const addNotice = useNotice();
  const [memberNumber, setMemberNumber] = useState(String(record?.params.member_number ?? ''));
  const [done, setDone] = useState(false);
  const address = record?.params.email_to_add || record?.params.email_typed;

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    const response = await api.recordAction({ resourceId: resource.id, recordId: String(record!.id), actionName: 'resolve', method: 'post', data: { memberNumber } });
    const notice = (response.data as { notice?: { message: string; type: 'success' | 'error' } }).notice;
    if (notice) addNotice(notice);
    if (notice?.type === 'success') setDone(true);
  };

  return (
    <Box variant="white">
      <H3>Ratkaise tapaus</H3>
      <Text mb="lg">
        Osoite {String(address ?? '–')} lisätään valitsemasi jäsenen tietoihin, jäsenelle lähetetään salasanalinkki ja tapaus suljetaan.
        {record?.params.name ? ` Pyynnön jättäjä: ${String(record.params.name)}.` : ''}
      </Text>
      {done ? (
        <Text>Tapaus on ratkaistu.</Text>
      ) : (
        <form onSubmit={submit}>
          <FormGroup>
            <Label htmlFor="resolve-member-number" required>Jäsennumero</Label>
            <Input id="resolve-member-number" name="memberNumber" inputMode="numeric" value={memberNumber} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setMemberNumber(e.target.value)} />
          </FormGroup>
          <Button type="submit" variant="contained">Lisää osoite, lähetä linkki ja sulje tapaus</Button>
        </form>
      )}
    </Box>
  );
};

export default ResolveCase;
