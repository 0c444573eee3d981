import { checkExternalId, isBlockedIdentifierValue } from '@optstream/shared-identifiers';
import { fail, ok, type Result } from './result';

/** Shared with the identity resolver, which refuses the same placeholders before linking. */
export const isBlockedIdentifier = isBlockedIdentifierValue;

export type OpaqueIdErrorCode = 'INVALID_IDENTIFIER';

/**
 * Normalizes an opaque id (externalId, anonymousId) by the rule the read API also applies, so every
 * accepted id stays addressable: blocked placeholders become `null`, strings are trimmed, anything that
 * is not a string is an error rather than silently stringified.
 */
export const normalizeOpaqueId = (
  field: string,
  value: unknown,
): Result<string | null, OpaqueIdErrorCode> => {
  const checked = checkExternalId(field, value);
  if (checked.kind === 'absent') return ok(null);
  if (checked.kind === 'invalid') return fail('INVALID_IDENTIFIER', checked.reason);
  return ok(checked.value);
};
