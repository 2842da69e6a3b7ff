import { useEffect } from 'react';
import { useSelector } from 'react-redux';
import type { BrandingState, RecordJSON, ResourceJSON } from '../adminjs-internals/frontend.js';

/**
 * How a record is named in headings and page titles: a member by name and number («Teemu Testaaja
 * (100003)»), a case by its address, anything else by its title property (AdminJS's `record.title`).
 */
export function recordName(resource: ResourceJSON, record: RecordJSON): string {
  const p = record.params as Record<string, string | null | undefined>;
  if (resource.id === 'members') return `${[p.first_name, p.last_name].filter(Boolean).join(' ')} (${p.member_number ?? ''})`;
  // A «Käyttäjää ei löydy» case is known by the address it is about.
  if (resource.id === 'not_found_cases' && p.address) return p.address;
  return record.title || String(record.id);
}

/**
 * The browser tab's title, which a screen reader reads first on every page: what the page shows, then
 * the site («Teemu Testaaja (100003) – Jäsenet – Invalidiliitto – ylläpito»). AdminJS's is the site's
 * name alone on every page.
 */
export function usePageTitle(parts: string[]): void {
  const site = useSelector((state: BrandingState) => state.branding.companyName);
  const title = [...parts.filter((part, index) => part && part !== parts[index - 1]), site].filter(Boolean).join(' – ');
  useEffect(() => {
    document.title = title;
  }, [title]);
}
