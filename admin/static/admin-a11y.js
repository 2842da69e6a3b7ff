/* global document, MutationObserver */
/*
 * Accessible names that AdminJS 7.8's own components leave out, added in the browser.
 *
 * AdminJS renders the back-office with React components of its own (@adminjs/design-system). Some
 * of them have no accessible name (axe-core: `label`, `button-name`), and fixing each one by
 * overriding the component would mean forking it. Instead this plain script (no build step; loaded
 * on every back-office page through AdminJS's `assets.scripts`, see admin/index.ts) watches the page
 * with one MutationObserver and, every time React has changed it, adds what is missing:
 *
 * - the row checkboxes of a list (a hidden <input> under a drawn box) get an aria-label naming the
 *   row by its first cell, the header's one «Valitse kaikki»;
 * - inputs of filters and forms are tied to the visible label of their property (AdminJS's <label for>
 *   points at an id that the input does not have; react-select and the date pickers get no id at all);
 * - the filter drawer's close button (an icon alone) gets a name;
 * - a list's heading «Luettelo» followed by its count badge would read «Luettelo3»: it is named
 *   «Luettelo (3)».
 *
 * Every change is idempotent (an attribute is set only when its value differs), and only attributes
 * are set, never nodes added, so React's own rendering is left alone and the observer (which watches
 * nodes and text, not attributes) does not wake itself up. Texts follow <html lang> (AdminJS writes
 * the interface language there); names taken from the page follow the page's own texts.
 */
(function () {
  'use strict';

  var TEXTS = {
    fi: { selectAll: 'Valitse kaikki', selectRow: 'Valitse rivi', closeFilters: 'Sulje suodattimet' },
    sv: { selectAll: 'Välj alla', selectRow: 'Välj rad', closeFilters: 'Stäng filtren' },
    en: { selectAll: 'Select all', selectRow: 'Select row', closeFilters: 'Close filters' },
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

  /** List rows: «Valitse rivi: 100001» (the first cell with text), the header «Valitse kaikki». */
  function nameCheckboxes() {
    document.querySelectorAll('table .adminjs_Checkbox input[type="checkbox"]').forEach(function (box) {
      var row = box.closest('tr');
      if (!row) return;
      if (box.closest('thead')) return set(box, 'aria-label', texts.selectAll);
      var cell = Array.prototype.find.call(row.cells, function (c) {
        return !c.contains(box) && textOf(c) !== '';
      });
      set(box, 'aria-label', cell ? texts.selectRow + ': ' + textOf(cell) : texts.selectRow);
    });
  }

  /**
   * Inputs in a property's form group (a <section> whose first <label> is the property's name) that
   * have no label of their own. A filter's text input gets the id its label points at (what AdminJS
   * meant: the label then also focuses it); others are labelled by the property's label and, for a
   * date range, by the «- Alkaen:» / «- Päättyen:» label just before the date picker.
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
      var ids = [idOf(label)];
      var picker = input.closest('.adminjs_DatePicker');
      var part = picker && picker.previousElementSibling;
      if (part && part.tagName === 'LABEL' && part !== label) ids.push(idOf(part));
      set(input, 'aria-labelledby', ids.join(' '));
      set(input, 'data-admin-a11y', '');
    });
  }

  /** The filter drawer's ✕ button: an icon alone. */
  function nameFilterClose() {
    document.querySelectorAll('[data-css$="-filter-drawer"] button[type="button"]').forEach(function (button) {
      if (textOf(button) === '' && !button.hasAttribute('aria-labelledby')) set(button, 'aria-label', texts.closeFilters);
    });
  }

  /** «Luettelo» + count badge: «Luettelo (3)» instead of «Luettelo3». */
  function nameCountedHeadings() {
    document.querySelectorAll('.adminjs_ActionHeader h2 > .adminjs_Badge, .adminjs_ActionHeader h3 > .adminjs_Badge').forEach(function (badge) {
      var heading = badge.parentElement;
      var title = Array.prototype.filter.call(heading.childNodes, function (node) {
        return node !== badge;
      }).map(function (node) {
        return node.textContent;
      }).join('').replace(/\s+/g, ' ').trim();
      set(heading, 'aria-label', title + ' (' + textOf(badge) + ')');
    });
  }

  function run() {
    nameCheckboxes();
    labelInputs();
    nameFilterClose();
    nameCountedHeadings();
  }

  run();
  new MutationObserver(run).observe(document.body, { childList: true, subtree: true, characterData: true });
})();
