/**
 * Structural mirror of `schemas/contact-inbound.v1.avsc` (record io.optstream.inbound.v1.ContactInbound).
 * Field names, nullability and enum symbols match the schema one to one; Avro enums are string-literal
 * unions, `timestamp-millis` longs are epoch milliseconds, optional unions are `T | null`.
 * The generated `ContactInbound` from `@optstream/contracts` replaces this file once it exists.
 */
export type SourceSystem =
  | 'unknown'
  | 'sendgrid'
  | 'twilio'
  | 'mailchimp'
  | 'segment'
  | 'optstream_api'
  | 'backfill'
  | 'optstream';
export type Channel = 'unknown' | 'email' | 'sms' | 'push';
export type SubscriptionStatus = 'unknown' | 'subscribed' | 'unsubscribed';
export type InboundFactKind = 'unknown' | 'preference_change' | 'identify' | 'push_permission_change';

export interface EventSource {
  system: SourceSystem;
  providerEventRef: string;
}

export interface InboundIdentifiers {
  externalId: string | null;
  email: string | null;
  phone: string | null;
  anonymousId: string | null;
}

export interface PreferenceChange {
  channel: Channel;
  newStatus: SubscriptionStatus;
  sourceOfChange: string;
}

export interface Identify {
  traitsJson: string;
}

export interface PushPermissionChange {
  enabled: boolean;
  sourceOfChange: string;
}

export interface ContactInbound {
  eventId: string;
  source: EventSource;
  occurredAt: number;
  receivedAt: number;
  identifiers: InboundIdentifiers;
  kind: InboundFactKind;
  preferenceChange: PreferenceChange | null;
  identify: Identify | null;
  pushPermissionChange: PushPermissionChange | null;
}

/** The channels a person can actually consent on (the schema's `unknown` is only a forward-compat default). */
export type ConsentChannel = Exclude<Channel, 'unknown'>;
export type ConsentStatus = Exclude<SubscriptionStatus, 'unknown'>;
export const CONSENT_CHANNELS: readonly ConsentChannel[] = ['email', 'sms', 'push'];
export const CONSENT_STATUSES: readonly ConsentStatus[] = ['subscribed', 'unsubscribed'];
