import type { ContactInbound } from '@optstream/contracts';
import type { BatchViewQuery } from '@optstream/identity-data-access';
import { isBlockedIdentifierValue, type IdentifierRef } from '@optstream/identity-domain';
import { keyedHash } from '@optstream/pii-crypto';

/** What a fact names a contact by, as the identity graph stores it: usable values, addresses keyed. */
export interface FactIdentifiers {
  /** The externalId, unless it is a blocked placeholder. */
  readonly externalId: string | null;
  readonly emailHash: string | null;
  readonly phoneHash: string | null;
  /** The keyed addresses (email first), to look their owners up. */
  readonly refs: readonly IdentifierRef[];
}

// Blocked placeholders are never hashed: the decider treats them as absent and wants no hash for them.
const usable = (value: string | null): string | null =>
  value === null || isBlockedIdentifierValue(value) ? null : value;

export const factIdentifiers = (hashKey: Buffer, fact: ContactInbound): FactIdentifiers => {
  const email = usable(fact.identifiers.email);
  const phone = usable(fact.identifiers.phone);
  const emailHash = email === null ? null : keyedHash(hashKey, 'email', email);
  const phoneHash = phone === null ? null : keyedHash(hashKey, 'phone', phone);
  return {
    externalId: usable(fact.identifiers.externalId),
    emailHash,
    phoneHash,
    refs: [
      ...(emailHash ? [{ kind: 'email' as const, keyedHash: emailHash }] : []),
      ...(phoneHash ? [{ kind: 'phone' as const, keyedHash: phoneHash }] : []),
    ],
  };
};

/** The view query of facts: every externalId and keyed address they name. */
export const viewQueryOf = (facts: readonly FactIdentifiers[]): BatchViewQuery => ({
  externalIds: facts.flatMap((f) => f.externalId ?? []),
  identifiers: facts.flatMap((f) => f.refs),
});
