/**
 * The same canonical forms the gateway hashes (trimmed, lowercased email; E.164 phone), so a lookup's
 * keyed hash matches the one in identity.v1. Validation here only has to reject what can never match:
 * the gateway's stricter rules decide what becomes an identifier in the first place. (The ingestion
 * domain's normalizers are out of this scope's reach by the module boundaries.)
 */
export function normalizeEmail(input: string): string | null {
  const value = input.trim().toLowerCase();
  if (value.length > 254 || /\s/.test(value)) return null;
  return /^[^@]+@[^@]+\.[^@]+$/.test(value) ? value : null;
}

/** Strict E.164: '+', a non-zero country digit, at most 15 digits in all. No guessing of a region. */
export function normalizePhone(input: string): string | null {
  const value = input.trim();
  return /^\+[1-9]\d{1,14}$/.test(value) ? value : null;
}
