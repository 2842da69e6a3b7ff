/**
 * Where focus goes when the element that had it disappears (a list chosen in the sidebar that then
 * closes, a dialog whose opener is gone): the heading of the page's <main> (main-landmark.tsx), which
 * a screen reader then reads. The heading gets tabIndex -1 so that it can take focus without joining
 * the Tab order.
 */
export function focusPageStart(): void {
  const target = document.querySelector<HTMLElement>('main h1, main h2') ?? document.querySelector<HTMLElement>('main');
  if (!target) return;
  if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
  target.focus();
}
