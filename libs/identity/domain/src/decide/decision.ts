import type { IdentityEvent, IdentityEventKind, MarketingPreferenceUpdated } from '@optstream/contracts';
import type { PlainIdentifier } from '../identifiers';

/** The identity event kinds the resolver emits. */
export type ResolverIdentityKind = Extract<
  IdentityEventKind,
  'contact_registered' | 'identifier_linked' | 'identifier_reassigned' | 'contacts_merged' | 'contact_erased'
>;

/**
 * An identity.v1 event before sealing: the identifier carries its plaintext so the service can
 * encrypt it under the contact's data key (sealedValue, dataKeyId). Everything else is final.
 */
export interface IdentityDecision extends Omit<IdentityEvent, 'kind' | 'identifier'> {
  readonly kind: ResolverIdentityKind;
  readonly identifier: PlainIdentifier | null;
}

export interface PublishIdentity {
  readonly type: 'publish_identity';
  readonly event: IdentityDecision;
}

export interface PublishPreference {
  readonly type: 'publish_preference';
  readonly event: MarketingPreferenceUpdated;
}

/**
 * A provisional contact was merged into `to`: the service looks up `from`'s current preferences and
 * publishes each for `to`, keeping each one's ORIGINAL occurredAt so newer state already on the
 * survivor still wins (rule 3 of docs/architecture.md). Ids: `reemittedEventId`; causationId: the merge event's id.
 */
export interface ReemitPreferences {
  readonly type: 'reemit_preferences';
  readonly from: string;
  readonly to: string;
  /** eventId of the contacts_merged decision that caused the re-emit. */
  readonly causationId: string;
  readonly recordedAt: number;
}

export type RejectionCode =
  | 'UNKNOWN_FACT_KIND'
  | 'MISSING_FACT_PAYLOAD'
  | 'UNKNOWN_CHANNEL'
  | 'UNKNOWN_STATUS'
  | 'MISSING_IDENTIFIER_HASH'
  | 'NO_USABLE_IDENTIFIER';

/**
 * The fact cannot be resolved as it stands. Never retriable (the same input gives the same answer):
 * the service dead-letters the original payload with `reason` (rule 7 of docs/architecture.md: nothing dropped silently).
 */
export interface Rejected {
  readonly type: 'rejected';
  readonly code: RejectionCode;
  readonly reason: string;
}

/** In publish order: identity events first, so a preference never names a contact not yet registered. */
export type Decision = PublishIdentity | PublishPreference | ReemitPreferences | Rejected;

export const isRejected = <T extends object>(value: T | Rejected): value is Rejected =>
  'type' in value && value.type === 'rejected';
