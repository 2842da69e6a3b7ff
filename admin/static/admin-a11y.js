/* global document, MutationObserver */
/*
 * Accessible names that AdminJS 7.8's own components leave out, added in the browser: only what no
 * component override reaches (the overrides are admin/components, listed in loader.ts).
 *
 * This plain script (no build step; loaded on every back-office page through AdminJS's
 * `assets.scripts`, see admin/index.ts) watches the page with one MutationObserver and, every time
 * React has changed it, adds what is missing. What it still does, and why not by an override:
 *
 * - the header checkbox of a list gets the name «Valitse kaikki». It is drawn by AdminJS's
 *   RecordsTableHeader together with the sort links of every column (PropertyHeader, SortLink):
 *   rewriting all of them for one name is more to keep up with AdminJS than this line. (The rows'
 *   checkboxes are named by our RecordInList, record-in-list.tsx.)
 * - inputs of filters and forms are tied to the visible label of their property: AdminJS's <label for>
 *   points at an id that the input does not have, and react-select and the date pickers get no id at
 *   all. These inputs are drawn by one AdminJS property component per type and place (text, select,
 *   reference, date, … for edit and filter: over twenty), each of which would have to be rewritten.
 *
 * Every change is idempotent (an attribute is set only when its value differs), and only attributes
 * are set, never nodes added, so React's own rendering is left alone and the observer (which watches
 * nodes and text, not attributes) does not wake itself up. Texts follow <html lang> (AdminJS writes
 * the interface language there); names taken from the page follow the page's own texts.
 */
(function () {
  'use strict';

  var TEXTS = {
    fi: { selectAll: 'Valitse kaikki' },
    sv: { selectAll: 'Välj alla' },
    en: { selectAll: 'Select all' },
  };
  var texts = TEXTS[document.documentElement.lang] || TEXTS.fi;
  var nextId = 0;

  function set(element, name, value) {
    if (element.getAttribute(name) !== value) element.setAttribute(name, value);
  }
  function idOf(element) {
    if (!element.id) element.id = 'admin-a11y-' + ++nextId;
    return element.id;
  }
  function textOf(element) {
    return (element.textContent || '').replace(/\s+/g, ' ').trim();
  }

  /** The list's header checkbox: «Valitse kaikki». */
  function nameSelectAll() {
    document.querySelectorAll('table thead .adminjs_Checkbox input[type="checkbox"]').forEach(function (box) {
      set(box, 'aria-label', texts.selectAll);
    });
  }

  /**
   * Inputs in a property's form group (a <section> whose first <label> is the property's name) that
   * have no label of their own. A filter's text input gets the id its label points at (what AdminJS
   * meant: the label then also focuses it); others are labelled by the property's label. (The date
   * filters' «- Alkaen:» / «- Päättyen:» fields are named by our date filter, datetime-filter.tsx.)
   */
  function labelInputs() {
    document.querySelectorAll('section input:not([type="hidden"]):not([type="checkbox"]):not([type="radio"]), section textarea, section select').forEach(function (input) {
      // The nearest <section> holding a label: a date picker is a <section> of its own, inside the property's.
      var group = input.closest('section');
      while (group && !group.querySelector('label')) group = group.parentElement && group.parentElement.closest('section');
      var label = group && group.querySelector('label');
      if (!label || !textOf(label)) return;
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

  function run() {
    nameSelectAll();
    labelInputs();
  }

  run();
  new MutationObserver(run).observe(document.body, { childList: true, subtree: true, characterData: true });
})();
