import React, { useLayoutEffect, type ComponentType } from 'react';
import type { ActionProps } from '../adminjs-internals/frontend.js';

type Props = ActionProps & { OriginalComponent?: ComponentType<ActionProps> };

/**
 * AdminJS's «Uusi» and «Muokkaa» forms (DefaultNewAction, DefaultEditAction; componentLoader.override
 * in loader.ts), saved without the browser's own checks. AdminJS marks the inputs of NOT NULL columns
 * `required`, and the browser then refused to send a form with one of them empty: it said so only in
 * its own bubble (in the browser's language, not the staff member's, gone in a moment, and nothing at
 * all in some browsers), and nothing else on the form was checked. Sent, the form comes back with
 * every problem on its field in the staff member's language (admin/scoped-resource.ts) and the
 * «Lomakkeessa on virheitä» notice, an alert a screen reader reads (notice-box.tsx). `required` stays
 * on the inputs: it still tells a screen reader which fields are needed.
 */
const RecordForm: React.FC<Props> = ({ OriginalComponent, ...props }) => {
  const formCss = `${props.resource.id}-${props.action.name}-form`;
  useLayoutEffect(() => {
    document.querySelectorAll<HTMLFormElement>(`form[data-css="${formCss}"]`).forEach((form) => {
      form.noValidate = true;
    });
  });
  return OriginalComponent ? <OriginalComponent {...props} /> : null;
};

export default RecordForm;
