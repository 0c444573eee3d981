// Placeholder values that client code sends when it has no real id. Treating any of them as an
// identity key would merge every anonymous visitor into one contact. The gateway drops them as
// "absent"; the identity resolver refuses them again before linking, whatever came upstream.
const BLOCKED_VALUES: ReadonlySet<string> = new Set([
  'null',
  'undefined',
  'nil',
  'none',
  'nan',
  'n/a',
  '(none)',
  '<nil>',
  'anonymous',
  'anon',
  'unknown',
  'guest',
  'true',
  'false',
  '[object object]',
  '[]',
  '{}',
  '0',
  '-1',
]);

// All-zero ids in any dash layout (the nil UUID, "000000", "0-0").
const ALL_ZEROS = /^[0-]+$/;

/**
 * True when `value` is missing, blank or a known placeholder that must never become an identity key.
 * Non-strings are not placeholders: callers that accept only strings reject them with their own reason.
 */
export const isBlockedIdentifierValue = (value: unknown): boolean => {
  if (value === null || value === undefined) return true;
  if (typeof value !== 'string') return false;
  const v = value.trim().toLowerCase();
  return v.length === 0 || BLOCKED_VALUES.has(v) || ALL_ZEROS.test(v);
};
