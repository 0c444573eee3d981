import { quote, typeName } from './guards';
import { fail, ok, type Result } from './result';

// Placeholder values that client code sends when it has no real id. Treating any of them as an
// identity key would merge every anonymous visitor into one contact, so they count as "absent".
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

/** True when `value` is missing, blank or a known placeholder that must never become an identity key. */
export const isBlockedIdentifier = (value: unknown): boolean => {
  if (value === null || value === undefined) return true;
  if (typeof value !== 'string') return false;
  const v = value.trim().toLowerCase();
  return v.length === 0 || BLOCKED_VALUES.has(v) || ALL_ZEROS.test(v);
};

export type OpaqueIdErrorCode = 'INVALID_IDENTIFIER';
const MAX_OPAQUE_ID_LENGTH = 256;

/**
 * Normalizes an opaque id (externalId, anonymousId): blocked placeholders become `null`, strings are
 * trimmed, anything that is not a string is an error rather than silently stringified.
 */
export const normalizeOpaqueId = (
  field: string,
  value: unknown,
): Result<string | null, OpaqueIdErrorCode> => {
  if (isBlockedIdentifier(value)) return ok(null);
  if (typeof value !== 'string')
    return fail('INVALID_IDENTIFIER', `${field} must be a string; got ${typeName(value)}`);
  const trimmed = value.trim();
  if (trimmed.length > MAX_OPAQUE_ID_LENGTH) {
    return fail(
      'INVALID_IDENTIFIER',
      `${field} is ${trimmed.length} characters long; the maximum is ${MAX_OPAQUE_ID_LENGTH}`,
    );
  }
  if (hasControlCharacter(trimmed))
    return fail('INVALID_IDENTIFIER', `${field} ${quote(trimmed)} contains control characters`);
  return ok(trimmed);
};

const hasControlCharacter = (value: string): boolean => {
  for (let i = 0; i < value.length; i += 1) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
};
