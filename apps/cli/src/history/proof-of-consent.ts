import type { MarketingPreferenceUpdated, SealedText } from '@optstream/contracts';
import { DataKeyDestroyedError, type DataKey, type DataKeyStore } from '@optstream/identity-data-access';
import { open, proofOfConsentAssociatedData, type ProofOfConsentField } from '@optstream/pii-crypto';

/** The personal proof of consent of one event as history shows it. */
export interface ProofOfConsent {
  /** The value; SEALED without the identity store's keys; ERASED once the key is destroyed; null: none. */
  readonly ipAddress: string | null;
  readonly userAgent: string | null;
}

export const SEALED = '[sealed]';
export const ERASED = '[erased]';

/** Without keys: whether the event holds each value, never the value. */
export const unopenedProof = (event: MarketingPreferenceUpdated): ProofOfConsent => ({
  ipAddress: event.sealedIpAddress ? SEALED : null,
  userAgent: event.sealedUserAgent ? SEALED : null,
});

/**
 * Opens the sealed IP address and user agent of events (docs/privacy.md) with the data key of the
 * contact each was sealed for: the plaintext while the key exists, ERASED after the contact's erasure.
 */
export function proofOpener(
  keys: DataKeyStore,
): (event: MarketingPreferenceUpdated) => Promise<ProofOfConsent> {
  const cache = new Map<string, Promise<DataKey | null>>();
  const keyById = (keyId: string): Promise<DataKey | null> => {
    const found = cache.get(keyId) ?? keys.keyById(keyId);
    cache.set(keyId, found);
    return found;
  };
  const openField = async (
    event: MarketingPreferenceUpdated,
    sealed: SealedText | null | undefined,
    field: ProofOfConsentField,
  ): Promise<string | null> => {
    if (!sealed) return null;
    try {
      const key = await keyById(sealed.dataKeyId);
      if (key === null) return SEALED;
      const ad = proofOfConsentAssociatedData(event.externalId, field, event.eventId);
      return open(key.key, sealed.sealedValue, ad).toString('utf8');
    } catch (error) {
      if (error instanceof DataKeyDestroyedError) return ERASED;
      throw error;
    }
  };
  return async (event) => ({
    ipAddress: await openField(event, event.sealedIpAddress, 'ip_address'),
    userAgent: await openField(event, event.sealedUserAgent, 'user_agent'),
  });
}
