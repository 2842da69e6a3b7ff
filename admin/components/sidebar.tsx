import React, { useEffect, useState, type ComponentType } from 'react';
import { SIDEBAR_FIXED_FROM } from '../adminjs-internals/frontend.js';
import { setSidebarOpen } from './sidebar-state.js';

type Props = { isVisible: boolean; OriginalComponent?: ComponentType<{ isVisible: boolean }> };

const NARROW = `(max-width: calc(${SIDEBAR_FIXED_FROM} - 0.02px))`;

/** True while the window is narrower than the width from which AdminJS always shows the sidebar. */
function useNarrow(): boolean {
  const [narrow, setNarrow] = useState(() => window.matchMedia(NARROW).matches);
  useEffect(() => {
    const query = window.matchMedia(NARROW);
    const update = () => setNarrow(query.matches);
    query.addEventListener('change', update);
    return () => query.removeEventListener('change', update);
  }, []);
  return narrow;
}

/**
 * AdminJS's sidebar (componentLoader.override('Sidebar'), admin/components/loader.ts), kept as it is
 * but for one fault: below 1324 px it is moved 300 px off screen when closed, and its logo link and
 * navigation stayed in the Tab order there, so focus vanished off screen. While it is off screen it is
 * now also hidden (visibility, which its contents inherit: out of the Tab order and the accessibility
 * tree). The wrapper takes no box of its own (display: contents), so AdminJS's layout is unchanged.
 */
const Sidebar: React.FC<Props> = ({ isVisible, OriginalComponent }) => {
  const narrow = useNarrow();
  useEffect(() => setSidebarOpen(isVisible), [isVisible]);
  if (!OriginalComponent) return null;
  return (
    <div style={{ display: 'contents', visibility: narrow && !isVisible ? 'hidden' : undefined }} data-css="sidebar-visibility">
      <OriginalComponent isVisible={isVisible} />
    </div>
  );
};

export default Sidebar;
