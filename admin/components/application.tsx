import React, { useLayoutEffect, type ComponentType } from 'react';
import { nameControlsFromNowOn } from './control-names.js';
import SkipLink from './skip-link.js';

type Props = { OriginalComponent?: ComponentType };

/**
 * AdminJS's whole page (componentLoader.override('Application'), loader.ts), drawn as it is, after
 * the skip link; once React has drawn it, the controls AdminJS leaves unnamed are named from then on
 * (control-names.ts). A layout effect: it runs in the same task as React's first commit, before the
 * page is painted or anyone can reach it.
 */
const Application: React.FC<Props> = ({ OriginalComponent }) => {
  useLayoutEffect(nameControlsFromNowOn, []);
  return (
    <>
      <SkipLink />
      {OriginalComponent ? <OriginalComponent /> : null}
    </>
  );
};

export default Application;
