import { useSyncExternalStore } from 'react';

/**
 * Whether AdminJS's sidebar is open, shared by the two overrides that need it: AdminJS keeps it in
 * its Application component and hands the Sidebar only `isVisible` and the TopBar only a toggle, so
 * the ☰ button (top-bar.tsx) could not say whether it is expanded without this. sidebar.tsx writes it.
 */
let open = false;
const listeners = new Set<() => void>();

export function setSidebarOpen(value: boolean): void {
  if (value === open) return;
  open = value;
  for (const listener of listeners) listener();
}

export function useSidebarOpen(): boolean {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => open,
  );
}
