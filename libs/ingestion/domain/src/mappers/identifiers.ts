import { normalizeOpaqueId } from '../blocked-identifiers';
import type { InboundIdentifiers } from '../inbound-fact';
import { normalizeEmail } from '../normalize/email';
import { normalizePhone } from '../normalize/phone';
import { fail, ok, type Result } from '../result';
import type { RejectionCode } from './map-result';

/** Raw identifier values as found in a payload, with the field path used in reasons. */
export type RawIdentifier = { readonly value: unknown; readonly path: string };
export type RawIdentifiers = {
  readonly externalId?: RawIdentifier;
  readonly email?: RawIdentifier;
  readonly phone?: RawIdentifier;
  readonly anonymousId?: RawIdentifier;
};

type IdentifierResult = Result<InboundIdentifiers, RejectionCode>;

/**
 * Normalizes every identifier a payload carries. Absent or blank values are `null`; a present but
 * invalid value rejects the event (an opt-out must not land on a guessed or truncated address).
 * At least one of externalId, email or phone must remain: anonymousId alone cannot key a contact.
 */
export const resolveIdentifiers = (raw: RawIdentifiers, defaultRegion: string): IdentifierResult => {
  const externalId = opaque(raw.externalId);
  if (!externalId.ok) return externalId;
  const anonymousId = opaque(raw.anonymousId);
  if (!anonymousId.ok) return anonymousId;
  const email = contact(raw.email, (v) => normalizeEmail(v));
  if (!email.ok) return email;
  const phone = contact(raw.phone, (v) => normalizePhone(v, defaultRegion));
  if (!phone.ok) return phone;
  const identifiers = {
    externalId: externalId.value,
    email: email.value,
    phone: phone.value,
    anonymousId: anonymousId.value,
  };
  if (identifiers.externalId === null && identifiers.email === null && identifiers.phone === null) {
    return fail('NO_IDENTIFIER', `no usable identifier: need one of ${presentPaths(raw)}`);
  }
  return ok(identifiers);
};

const opaque = (raw: RawIdentifier | undefined): Result<string | null, RejectionCode> => {
  if (raw === undefined) return ok(null);
  const result = normalizeOpaqueId(raw.path, raw.value);
  return result.ok ? result : fail(result.code, result.reason);
};

const isBlank = (value: unknown): boolean =>
  value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

const contact = (
  raw: RawIdentifier | undefined,
  normalize: (value: unknown) => Result<string, RejectionCode>,
): Result<string | null, RejectionCode> => {
  if (raw === undefined || isBlank(raw.value)) return ok(null);
  const result = normalize(raw.value);
  return result.ok ? result : fail(result.code, `${raw.path}: ${result.reason}`);
};

const presentPaths = (raw: RawIdentifiers): string =>
  [raw.externalId, raw.email, raw.phone]
    .filter((r): r is RawIdentifier => r !== undefined)
    .map((r) => r.path)
    .join(', ') || 'an external id, email or phone';
