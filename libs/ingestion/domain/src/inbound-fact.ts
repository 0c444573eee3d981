/** The inbound fact is the generated `contact.inbound.v1` value type: written once, in schemas/*.avsc. */
export type {
  Channel,
  ContactInbound,
  EventSource,
  Identify,
  InboundFactKind,
  InboundIdentifiers,
  PreferenceChange,
  PushPermissionChange,
  Evidence,
  SourceSystem,
  SourceTrust,
  TimestampPrecision,
  SubscriptionStatus,
} from '@optstream/contracts';
import type { Channel, SubscriptionStatus } from '@optstream/contracts';

/** The channels a person can actually consent on (the schema's `unknown` is only a forward-compat default). */
export type ConsentChannel = Exclude<Channel, 'unknown'>;
export type ConsentStatus = Exclude<SubscriptionStatus, 'unknown'>;
export const CONSENT_CHANNELS: readonly ConsentChannel[] = ['email', 'sms', 'push'];
export const CONSENT_STATUSES: readonly ConsentStatus[] = ['subscribed', 'unsubscribed'];
