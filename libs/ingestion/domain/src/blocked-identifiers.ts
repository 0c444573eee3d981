import { isBlockedIdentifierValue } from '@optstream/shared-identifiers';
import { quote, typeName } from './guards';
import { fail, ok, type Result } from './result';

/** Shared with the identity resolver, which refuses the same placeholders before linking. */
export const isBlockedIdentifier = isBlockedIdentifierValue;

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
