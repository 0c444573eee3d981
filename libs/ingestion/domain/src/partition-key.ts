import type { InboundIdentifiers } from './inbound-fact';

/** Named as the keyed hash names identifier kinds (`keyedHash(key, kind, value)` in pii-crypto). */
export type PartitionKeyKind = 'external_id' | 'email' | 'phone';
/** The identifier that keys a contact.inbound.v1 message, in plaintext: the caller hashes it (keyed) before use. */
export type PartitionKey = { readonly kind: PartitionKeyKind; readonly value: string };

/**
 * Strongest identifier first — externalId, else normalized email, else E.164 phone — so one person's
 * events land on one partition and stay in order. anonymousId never keys: it is per device, not per
 * person. Null only when no usable identifier exists (mappers reject such facts before this point).
 */
export const partitionKeyOf = (identifiers: InboundIdentifiers): PartitionKey | null => {
  if (identifiers.externalId !== null) return { kind: 'external_id', value: identifiers.externalId };
  if (identifiers.email !== null) return { kind: 'email', value: identifiers.email };
  if (identifiers.phone !== null) return { kind: 'phone', value: identifiers.phone };
  return null;
};
