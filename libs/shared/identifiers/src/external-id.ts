import { isBlockedIdentifierValue } from './blocked-values';

/**
 * The one rule for an externalId (and any other opaque id a sender gives us, such as Segment's
 * anonymousId). The gateway applies it to what it accepts, the read API to the ids it is asked for,
 * so every id that can be ingested can also be read, exported and erased — `auth0|123` included.
 */
export const MAX_EXTERNAL_ID_LENGTH = 256;

export type ExternalIdCheck =
  /** Missing, blank or a placeholder (`null`, `anonymous`, all zeros…): never an identity key. */
  | { readonly kind: 'absent' }
  | { readonly kind: 'valid'; readonly value: string }
  | { readonly kind: 'invalid'; readonly reason: string };

/** Trims `value` and checks it; `field` names it in the reason (e.g. `userId`, `externalId`). */
export const checkExternalId = (field: string, value: unknown): ExternalIdCheck => {
  if (isBlockedIdentifierValue(value)) return { kind: 'absent' };
  if (typeof value !== 'string') return invalid(`${field} must be a string; got ${typeName(value)}`);
  const trimmed = value.trim();
  if (trimmed.length > MAX_EXTERNAL_ID_LENGTH)
    return invalid(`${field} is ${trimmed.length} characters long; the maximum is ${MAX_EXTERNAL_ID_LENGTH}`);
  if (hasControlCharacter(trimmed)) return invalid(`${field} ${quote(trimmed)} contains control characters`);
  return { kind: 'valid', value: trimmed };
};

const invalid = (reason: string): ExternalIdCheck => ({ kind: 'invalid', reason });

const typeName = (value: unknown): string => {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
};

/** Cut short so a reason never carries a whole payload. */
const quote = (value: string, max = 40): string =>
  JSON.stringify(value.length > max ? `${value.slice(0, max)}…` : value);

const hasControlCharacter = (value: string): boolean => {
  for (let i = 0; i < value.length; i += 1) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
};
