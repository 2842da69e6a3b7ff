/**
 * Accessible names that AdminJS 7.8's own components leave out, added in the browser: only what no
 * component override reaches (the overrides are admin/components, listed in loader.ts).
 *
 * One MutationObserver watches the page and, every time React has changed it, adds what is missing:
 *
 * - inputs of filters and forms are tied to the visible label of their property: AdminJS's <label for>
 *   points at an id that the input does not have, and react-select and the date pickers get no id at
 *   all. These inputs are drawn by one AdminJS property component per type and place (text, select,
 *   reference, date, … for edit and filter: over twenty), each of which would have to be rewritten.
 * - for the same reason, an input whose field shows an error after a save (AdminJS's FormMessage
 *   under it, in red) is marked aria-invalid and described by that message, so a screen reader
 *   reads the error with the field.
 *
 * It is started by the page's Application (application.tsx) as soon as React has drawn the page, from
 * the component bundle. It was a script of its own, a second request after the page's, which put its
 * observer in place only after a first pass: once, in CI, a list had none of its filter fields named
 * through two states of one page, its other pages named. Now the naming comes with React itself, and
 * the observer is in place before the first pass.
 *
 * (The lists' checkboxes are named by our RecordsTableHeader and RecordInList, records-table-header.tsx
 * and record-in-list.tsx, from the catalog.)
 *
 * Every change is idempotent (an attribute is set only when its value differs), and only attributes
 * are set, never nodes added, so React's own rendering is left alone and the observer (which watches
 * nodes and text, not attributes) does not wake itself up. There are no texts here: the names given
 * are the page's own texts, in the staff member's language.
 */
let nextId = 0;
let started = false;

/** Names the page's controls now and after every change React makes to it; once a page. */
export function nameControlsFromNowOn(): void {
  if (started) return;
  started = true;
  new MutationObserver(labelInputs).observe(document.body, { childList: true, subtree: true, characterData: true });
  labelInputs();
}

function set(element: Element, name: string, value: string): void {
  if (element.getAttribute(name) !== value) element.setAttribute(name, value);
}

function idOf(element: Element): string {
  if (!element.id) element.id = `admin-a11y-${++nextId}`;
  return element.id;
}

function textOf(element: Element): string {
  return (element.textContent ?? '').replace(/\s+/g, ' ').trim();
}

type Field = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;
const FIELDS = 'section input:not([type="hidden"]):not([type="checkbox"]):not([type="radio"]), section textarea, section select';

/**
 * Inputs in a property's form group (a <section> whose first <label> is the property's name) that
 * have no label of their own. A filter's text input gets the id its label points at (what AdminJS
 * meant: the label then also focuses it); others are labelled by the property's label. (The date
 * filters' «- Alkaen:» / «- Päättyen:» fields are named by our date filter, datetime-filter.tsx.)
 */
function labelInputs(): void {
  document.querySelectorAll<Field>(FIELDS).forEach((input) => {
    // The nearest <section> holding a label: a date picker is a <section> of its own, inside the property's.
    let group = input.closest('section');
    while (group && !group.querySelector('label')) group = group.parentElement?.closest('section') ?? null;
    const label = group?.querySelector('label');
    if (!label || !textOf(label)) return;
    describeError(input, label);
    if (input.labels && input.labels.length > 0) return;
    if (input.hasAttribute('aria-label')) return;
    if (input.hasAttribute('aria-labelledby') && !input.hasAttribute('data-admin-a11y')) return;
    if (!input.id && input.name && label.htmlFor === input.name && !document.getElementById(input.name)) {
      input.id = input.name;
      return;
    }
    set(input, 'aria-labelledby', idOf(label));
    set(input, 'data-admin-a11y', '');
  });
}

/**
 * A form field's error, shown by AdminJS as a FormMessage (a Text, last in the FormGroup that holds
 * the label): the input is marked invalid and described by it while it has text; without one,
 * both are taken away again.
 */
function describeError(input: Field, label: HTMLLabelElement): void {
  const message = label.parentElement?.lastElementChild;
  const error = message && message !== label && !message.contains(input) && message.classList.contains('adminjs_Text') && textOf(message) ? message : null;
  if (error) {
    set(input, 'aria-invalid', 'true');
    set(input, 'aria-describedby', idOf(error));
    set(input, 'data-admin-a11y-error', '');
  } else if (input.hasAttribute('data-admin-a11y-error')) {
    for (const name of ['aria-invalid', 'aria-describedby', 'data-admin-a11y-error']) input.removeAttribute(name);
  }
}
