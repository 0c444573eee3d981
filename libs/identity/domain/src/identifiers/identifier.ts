import type { IdentifierKind } from '@optstream/contracts';

/**
 * The identifier kinds the resolver matches on, strongest first after externalId. `anonymous_id`
 * exists in identity.v1 but is not resolved on: a Segment anonymousId is per device/browser and
 * would chain unrelated people together (see this lib's README, "Decisions to revisit").
 */
export type MatchKind = Extract<IdentifierKind, 'email' | 'phone'>;

/**
 * An identifier as the identity graph knows it: kind + keyed hash (HMAC of the normalized value).
 * Field name matches identity.v1's ProtectedIdentifier so a decoded log event folds without mapping.
 */
export interface IdentifierRef {
  readonly kind: IdentifierKind;
  readonly keyedHash: string;
}

/**
 * An identifier on its way out. The resolver service seals `plaintext` into `sealedValue` under the
 * contact's data key before publishing; plaintext never reaches a long-lived topic or the view.
 */
export interface PlainIdentifier extends IdentifierRef {
  readonly kind: MatchKind;
  readonly plaintext: string;
}

/** One map key per (kind, hash): the same hash under two kinds is two different identifiers. */
export const identifierKey = (ref: IdentifierRef): string => `${ref.kind}:${ref.keyedHash}`;

/** Strips anything but kind and hash, so a folded PlainIdentifier leaves no plaintext in the view. */
export const toRef = (ref: IdentifierRef): IdentifierRef => ({ kind: ref.kind, keyedHash: ref.keyedHash });

/** Total order (kind, then hash) so equal graphs are equal values whatever order they were built in. */
export const compareRefs = (a: IdentifierRef, b: IdentifierRef): number => {
  const ka = identifierKey(a);
  const kb = identifierKey(b);
  if (ka === kb) return 0;
  return ka < kb ? -1 : 1;
};
