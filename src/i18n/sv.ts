import type { CatalogShape } from './catalog-type.js';
import type { fi } from './fi.js';

export const sv: CatalogShape<typeof fi> = {
  languageName: 'Svenska',
  layout: {
    skipLink: 'Hoppa till innehållet',
    serviceName: '{{federation}} – e-tjänsten',
    forMembers: 'För medlemmar',
    footerHeading: 'Om tjänsten',
    accessibility: 'Tillgänglighetsutlåtande',
    memberServices: 'Medlemsservice',
    memberServicesContact: 'Medlemsservice: {{email}}',
    languageSwitch: 'Språk',
    errorTitlePrefix: 'Fel:',
  },
  front: {
    title: 'E-tjänsten',
    heading: '{{federation}} – e-tjänsten',
    lead: 'I e-tjänsten ser du dina egna medlemsuppgifter. Du loggar in med ditt medlemsnummer och ditt lösenord.',
  },
  errors: {
    notFoundTitle: 'Sidan hittades inte',
    notFoundText: 'Sidan du söker finns inte. Kontrollera adressen eller gå tillbaka till startsidan.',
    serverTitle: 'Det finns en störning i tjänsten',
    serverText: 'Ett fel inträffade i tjänsten och din begäran behandlades inte. Försök igen om en stund.',
    backToFront: 'Tillbaka till startsidan',
  },
};
