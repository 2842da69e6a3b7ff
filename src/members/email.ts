/** How an email typed by a person is compared: surrounding spaces ignored, case-insensitive. */
export function normaliseEmail(typed: string): string {
  return typed.trim().toLowerCase();
}

const EMAIL_SHAPE = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:".]{2,}$/;

/** A plausible address (the database has its own, looser check). */
export function looksLikeEmail(value: string): boolean {
  return value.length <= 254 && EMAIL_SHAPE.test(value);
}
