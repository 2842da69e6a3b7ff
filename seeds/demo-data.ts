/** The documented demo set (README «Demo data»). Tests assert exactly this. */

export const demoAssociations = [
  { key: 'esimerkkila', name: 'Esimerkkilän Invalidit ry', contact_email: 'sihteeri@esimerkkila.example', contact_phone: '040 123 4567' },
  { key: 'mallila', name: 'Mallilan Invalidit ry', contact_email: 'sihteeri@mallila.example', contact_phone: '040 765 4321' },
] as const;

type AssociationKey = (typeof demoAssociations)[number]['key'];

export const demoStaff: ReadonlyArray<{
  email: string;
  name: string;
  role: 'federation' | 'association';
  association: AssociationKey | null;
  password: string;
}> = [
  { email: 'jasenpalvelut@liitto.example', name: 'Liiton jäsenpalvelut', role: 'federation', association: null, password: 'Demo-jasenpalvelut-1' },
  { email: 'sihteeri@esimerkkila.example', name: 'Esimerkkilän sihteeri', role: 'association', association: 'esimerkkila', password: 'Demo-esimerkkila-1' },
  { email: 'sihteeri@mallila.example', name: 'Mallilan sihteeri', role: 'association', association: 'mallila', password: 'Demo-mallila-1' },
];

export const demoMembers: ReadonlyArray<{
  member_number: string;
  first_name: string;
  last_name: string;
  email: string | null;
  association: AssociationKey;
  membership_status: 'active' | 'ended';
  /** The postal address an activation letter goes to (issue #14): Teemu and Pekka have no email. */
  street_address: string | null;
  postal_code: string | null;
  post_office: string | null;
  password: string | null;
}> = [
  { member_number: '100001', first_name: 'Maija', last_name: 'Meikäläinen', email: 'maija.meikalainen@example.fi', association: 'esimerkkila', membership_status: 'active', street_address: 'Koivukuja 3 A 5', postal_code: '33100', post_office: 'TAMPERE', password: null },
  { member_number: '100002', first_name: 'Matti', last_name: 'Meikäläinen', email: 'maija.meikalainen@example.fi', association: 'esimerkkila', membership_status: 'active', street_address: 'Koivukuja 3 A 5', postal_code: '33100', post_office: 'TAMPERE', password: null },
  { member_number: '100003', first_name: 'Teemu', last_name: 'Testaaja', email: null, association: 'esimerkkila', membership_status: 'active', street_address: 'Rantatie 12 B 4', postal_code: '33200', post_office: 'TAMPERE', password: null },
  { member_number: '200001', first_name: 'Liisa', last_name: 'Esimerkki', email: 'liisa.esimerkki@example.fi', association: 'mallila', membership_status: 'active', street_address: 'Kauppakatu 7', postal_code: '40100', post_office: 'JYVÄSKYLÄ', password: 'Liisan-salasana-2026' },
  { member_number: '200002', first_name: 'Pekka', last_name: 'Puuttuva', email: null, association: 'mallila', membership_status: 'active', street_address: 'Myllytie 5', postal_code: '40320', post_office: 'JYVÄSKYLÄ', password: null },
  { member_number: '200003', first_name: 'Ulla', last_name: 'Ulkona', email: 'ulla.ulkona@example.fi', association: 'mallila', membership_status: 'ended', street_address: 'Asemakatu 2 C 9', postal_code: '40100', post_office: 'JYVÄSKYLÄ', password: null },
];
