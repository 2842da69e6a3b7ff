import { Icon } from '@adminjs/design-system';
import { styled } from '@adminjs/design-system/styled-components';
import React, { useEffect, useRef, type ComponentType } from 'react';
import { SIDEBAR_FIXED_FROM, useTranslation } from '../adminjs-internals/frontend.js';
import FocusStyles from './focus-styles.js';
import { focusPageStart } from './page-focus.js';
import { NAVIGATION_ID } from './element-ids.js';
import { useSidebarOpen } from './sidebar-state.js';
import { themed } from '../adminjs-internals/styled.js';

type Props = { toggleSidebar: () => void; OriginalComponent?: ComponentType<{ toggleSidebar: () => void }> };

/**
 * AdminJS's top bar (componentLoader.override('TopBar')), with a real ☰ button. AdminJS's ☰ is a
 * <div> with a click handler: a keyboard user could not open the sidebar, which is off screen below
 * 1324 px. The rest of the bar (language menu, the staff member's name) is AdminJS's, unchanged: its
 * parts are not exported to rewrite, so AdminJS's ☰ is hidden (focus-styles.tsx) and ours drawn over it.
 * Opening moves focus into the navigation; Esc closes it and focus returns to ☰; choosing a list
 * closes it (AdminJS does that) and focus goes to the new page's heading.
 */
const TopBar: React.FC<Props> = ({ toggleSidebar, OriginalComponent }) => {
  const { translateLabel } = useTranslation();
  const open = useSidebarOpen();
  const button = useRef<HTMLButtonElement>(null);
  const wasOpen = useRef(open);
  const closedByUs = useRef(false);

  useEffect(() => {
    if (open && !wasOpen.current) {
      document.querySelector<HTMLElement>(`#${NAVIGATION_ID} button, #${NAVIGATION_ID} a[href]`)?.focus();
    } else if (!open && wasOpen.current) {
      if (closedByUs.current) button.current?.focus();
      // Closed because a list was chosen: once the new page is drawn, its heading takes the focus.
      else requestAnimationFrame(() => focusPageStart());
      closedByUs.current = false;
    }
    wasOpen.current = open;
  }, [open]);

  useEffect(() => {
    if (!open) return undefined;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      closedByUs.current = true;
      toggleSidebar();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [open, toggleSidebar]);

  const onClick = () => {
    closedByUs.current = open;
    toggleSidebar();
  };

  return (
    <Bar>
      <FocusStyles />
      <MenuButton ref={button} type="button" aria-expanded={open} aria-controls={NAVIGATION_ID} aria-label={translateLabel('navigation')} onClick={onClick}>
        <Icon icon="Menu" size={24} />
      </MenuButton>
      {OriginalComponent ? <OriginalComponent toggleSidebar={toggleSidebar} /> : null}
    </Bar>
  );
};

const Bar = styled.div`
  position: relative;
  flex-shrink: 0;
`;

/** In the place and size of AdminJS's ☰ box, and like it only while the sidebar can be off screen. */
const MenuButton = styled.button`
  position: absolute;
  left: 4px;
  top: 8px;
  z-index: 1;
  width: 48px;
  height: 48px;
  display: flex;
  align-items: center;
  justify-content: center;
  border: 0;
  border-radius: 4px;
  background: transparent;
  color: ${themed((theme) => theme.colors.text)};
  cursor: pointer;
  &:hover { background: ${themed((theme) => theme.colors.grey20)}; }
  @media (min-width: ${SIDEBAR_FIXED_FROM}) { display: none; }
`;

export default TopBar;
