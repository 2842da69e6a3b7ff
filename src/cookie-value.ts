/**
 * One cookie's raw value from a Cookie header (undefined when it is not there): what the app reads
 * of cookies is a few of its own, by name. Raw: a caller decodes it if its value can need that.
 * Nothing here throws, however malformed the header.
 */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
