// Progressive enhancements only: every page works without this file.
document.addEventListener('DOMContentLoaded', () => {
  // GOV.UK pattern: on a page with errors, the summary takes focus so a screen reader reads it first.
  const summary = document.querySelector('[data-error-summary]');
  if (summary instanceof HTMLElement) summary.focus();

  // «Näytä salasana»: the checkbox shows what was typed.
  for (const toggle of document.querySelectorAll('[data-show-password]')) {
    const input = document.getElementById(toggle.getAttribute('data-show-password'));
    if (!(toggle instanceof HTMLInputElement) || !(input instanceof HTMLInputElement)) continue;
    toggle.closest('.checkbox')?.removeAttribute('hidden');
    toggle.addEventListener('change', () => {
      input.type = toggle.checked ? 'text' : 'password';
    });
  }
});
