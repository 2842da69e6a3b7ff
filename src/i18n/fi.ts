/** Finnish: the product's first language. Texts quoted in the member help page appear here word for word. */
export const fi = {
  languageName: 'Suomi',
  layout: {
    skipLink: 'Siirry sisältöön',
    serviceName: '{{federation}} – asiointipalvelu',
    forMembers: 'Jäsenille',
    footerHeading: 'Tietoa palvelusta',
    accessibility: 'Saavutettavuusseloste',
    memberServices: 'Jäsenpalvelu',
    memberServicesContact: 'Jäsenpalvelu: {{email}}',
    languageSwitch: 'Kieli',
    errorTitlePrefix: 'Virhe:',
  },
  front: {
    title: 'Asiointipalvelu',
    heading: '{{federation}} – asiointipalvelu',
    lead: 'Asiointipalvelussa näet omat jäsentietosi. Palveluun kirjaudutaan omalla jäsennumerolla ja salasanalla.',
  },
  errors: {
    notFoundTitle: 'Sivua ei löydy',
    notFoundText: 'Etsimääsi sivua ei löydy. Tarkista osoite tai palaa etusivulle.',
    serverTitle: 'Palvelussa on häiriö',
    serverText: 'Palvelussa tapahtui virhe, eikä pyyntöäsi käsitelty. Yritä hetken kuluttua uudelleen.',
    backToFront: 'Palaa etusivulle',
  },
};
