import type { CatalogShape } from './catalog-type.js';
import type { fi } from './fi.js';

export const en: CatalogShape<typeof fi> = {
  languageName: 'English',
  layout: {
    skipLink: 'Skip to content',
    serviceName: '{{federation}} – member e-service',
    forMembers: 'For members',
    footerHeading: 'About the service',
    accessibility: 'Accessibility statement',
    memberServices: 'Member services',
    memberServicesContact: 'Member services: {{email}}',
    languageSwitch: 'Language',
    errorTitlePrefix: 'Error:',
  },
  front: {
    title: 'Member e-service',
    heading: '{{federation}} – member e-service',
    lead: 'In the e-service you can see your own membership details. You log in with your member number and your password.',
  },
  errors: {
    notFoundTitle: 'Page not found',
    notFoundText: 'The page you are looking for does not exist. Check the address or go back to the front page.',
    serverTitle: 'The service has a problem',
    serverText: 'Something went wrong in the service and your request was not handled. Please try again in a moment.',
    backToFront: 'Back to the front page',
  },
};
