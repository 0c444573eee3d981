import type {
  ContactInbound,
  IdentityEvent,
  MarketingPreferenceUpdated,
  SealedText,
} from '@optstream/contracts';
import type { DataKey } from '@optstream/identity-data-access';
import type { IdentityDecision } from '@optstream/identity-domain';
import {
  identifierAssociatedData,
  proofOfConsentAssociatedData,
  seal,
  type ProofOfConsentField,
} from '@optstream/pii-crypto';

/**
 * Turns a decided identity event into the identity.v1 event: the plaintext identifier is sealed under
 * the data key of the contact the event is about (`dataKeys`, fetched for the whole batch at once),
 * with (externalId, kind) as associated data, so the sealed value cannot be passed off as another
 * contact's or another kind. The plaintext goes no further.
 */
export const sealIdentity = (
  dataKeys: ReadonlyMap<string, DataKey>,
  decision: IdentityDecision,
): IdentityEvent => {
  const { identifier, ...rest } = decision;
  if (identifier === null) return { ...rest, identifier: null };
  const dataKey = dataKeys.get(decision.externalId);
  if (dataKey === undefined) throw new Error(`no data key fetched for ${decision.externalId}`);
  return {
    ...rest,
    identifier: {
      kind: identifier.kind,
      keyedHash: identifier.keyedHash,
      sealedValue: seal(
        dataKey.key,
        identifier.plaintext,
        identifierAssociatedData(decision.externalId, identifier.kind),
      ),
      dataKeyId: dataKey.keyId,
    },
  };
};

/**
 * The proof of consent the fact carries that is personal data (IP address, user agent) sealed onto
 * its preference event with the key of the contact the event is about, like identifiers: the log and
 * the outbox never hold them in the clear, and erasing the contact makes them unreadable. `dataKeys`
 * holds that contact's key whenever the fact carries either field (`carriesProofOfConsent`).
 */
export const sealProofOfConsent = (
  dataKeys: ReadonlyMap<string, DataKey>,
  fact: ContactInbound,
  event: MarketingPreferenceUpdated,
): MarketingPreferenceUpdated => {
  const { ipAddress, userAgent } = fact.preferenceChange ?? {};
  if (!ipAddress && !userAgent) return event;
  const dataKey = dataKeys.get(event.externalId);
  if (dataKey === undefined) throw new Error(`no data key fetched for ${event.externalId}`);
  const sealed = (value: string | null | undefined, field: ProofOfConsentField): SealedText | null =>
    value
      ? {
          sealedValue: seal(
            dataKey.key,
            Buffer.from(value, 'utf8'),
            proofOfConsentAssociatedData(event.externalId, field, event.eventId),
          ),
          dataKeyId: dataKey.keyId,
        }
      : null;
  return {
    ...event,
    sealedIpAddress: sealed(ipAddress, 'ip_address'),
    sealedUserAgent: sealed(userAgent, 'user_agent'),
  };
};

/** Whether a fact's preference event needs its contact's key (`sealProofOfConsent`). */
export const carriesProofOfConsent = (fact: ContactInbound): boolean =>
  Boolean(fact.preferenceChange?.ipAddress || fact.preferenceChange?.userAgent);
