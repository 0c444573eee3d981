// Generated from schemas/*.avsc by tools/codegen/avro-to-ts.ts — do not edit.

// Types every schema re-declares under io.optstream.common.v1, declared once here.

/**
 * Avro enum `io.optstream.common.v1.Channel`.
 * Readers map unknown symbols to 'unknown'.
 */
export type Channel = 'unknown' | 'email' | 'sms' | 'push';

export const CHANNEL_SYMBOLS = ['unknown', 'email', 'sms', 'push'] as const satisfies readonly Channel[];

/** Avro record `io.optstream.common.v1.EventSource`. */
export interface EventSource {
  /** The system the fact came from. */
  readonly system: SourceSystem;
  /** The provider's own id: sg_event_id, MessageSid, messageId, ... */
  readonly providerEventRef: string;
}

/**
 * Proof of consent: how strong the evidence is, what act it records, and where, under which text and basis it was collected. No personal data (IP address and user agent travel separately, sealed).
 * Avro record `io.optstream.common.v1.Evidence`.
 */
export interface Evidence {
  readonly strength?: EvidenceStrength;
  readonly kind?: EvidenceKind;
  readonly trust?: SourceTrust;
  /** Where consent was collected: a form id, page URL path, SMS keyword. */
  readonly collectionPoint?: string | null;
  /** Id of the consent wording shown to the person. */
  readonly consentTextId?: string | null;
  /** Version (or hash) of that wording. */
  readonly consentTextVersion?: string | null;
  /** "person", "agent:<id>" or "system:<name>": who performed the change. */
  readonly actor?: string | null;
  /** e.g. consent, legitimate_interest; defaults to the topic catalogue entry. */
  readonly legalBasis?: string | null;
  /** e.g. EU, US-CA (ISO 3166 country or subdivision). */
  readonly jurisdiction?: string | null;
}

/**
 * What the person (or system) did; docs/consent-model.md lists which kinds are explicit.
 * Avro enum `io.optstream.common.v1.EvidenceKind`.
 * Readers map unknown symbols to 'unknown'.
 */
export type EvidenceKind =
  | 'unknown'
  | 'unsubscribe_link'
  | 'group_unsubscribe'
  | 'group_resubscribe'
  | 'spam_report'
  | 'sms_keyword'
  | 'preference_center'
  | 'signup_form'
  | 'double_opt_in_confirmation'
  | 'push_permission'
  | 'api_call'
  | 'identify_traits'
  | 'csv_backfill'
  | 'crm_sync'
  | 'provider_webhook';

export const EVIDENCE_KIND_SYMBOLS = [
  'unknown',
  'unsubscribe_link',
  'group_unsubscribe',
  'group_resubscribe',
  'spam_report',
  'sms_keyword',
  'preference_center',
  'signup_form',
  'double_opt_in_confirmation',
  'push_permission',
  'api_call',
  'identify_traits',
  'csv_backfill',
  'crm_sync',
  'provider_webhook',
] as const satisfies readonly EvidenceKind[];

/**
 * explicit: an act of the person (unsubscribe link, STOP/START, spam report, preference change, confirmation click); snapshot: a copy of a state (identify traits, CSV backfill, CRM sync). unknown (events written before this field) ranks as explicit, which is how they were always treated.
 * Avro enum `io.optstream.common.v1.EvidenceStrength`.
 * Readers map unknown symbols to 'unknown'.
 */
export type EvidenceStrength = 'unknown' | 'explicit' | 'snapshot';

export const EVIDENCE_STRENGTH_SYMBOLS = [
  'unknown',
  'explicit',
  'snapshot',
] as const satisfies readonly EvidenceStrength[];

/**
 * Avro enum `io.optstream.common.v1.SourceSystem`.
 * Readers map unknown symbols to 'unknown'.
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

export const SOURCE_SYSTEM_SYMBOLS = [
  'unknown',
  'sendgrid',
  'twilio',
  'mailchimp',
  'segment',
  'optstream_api',
  'backfill',
  'optstream',
] as const satisfies readonly SourceSystem[];

/**
 * server: a signed or server-side source; client: a public (browser/app) write key, which may opt out but never opt in or link identifiers. unknown (events written before this field) ranks as server.
 * Avro enum `io.optstream.common.v1.SourceTrust`.
 * Readers map unknown symbols to 'unknown'.
 */
export type SourceTrust = 'unknown' | 'server' | 'client';

export const SOURCE_TRUST_SYMBOLS = ['unknown', 'server', 'client'] as const satisfies readonly SourceTrust[];

/**
 * Avro enum `io.optstream.common.v1.SubscriptionStatus`.
 * Readers map unknown symbols to 'unknown'.
 */
export type SubscriptionStatus = 'unknown' | 'subscribed' | 'unsubscribed' | 'pending';

export const SUBSCRIPTION_STATUS_SYMBOLS = [
  'unknown',
  'subscribed',
  'unsubscribed',
  'pending',
] as const satisfies readonly SubscriptionStatus[];

/**
 * The resolution of the source's clock: SendGrid and Mailchimp stamp whole seconds. Changes are compared at the coarser of two precisions, a tie going to the opt-out. unknown (events written before this field) is millisecond.
 * Avro enum `io.optstream.common.v1.TimestampPrecision`.
 * Readers map unknown symbols to 'unknown'.
 */
export type TimestampPrecision = 'unknown' | 'millisecond' | 'second' | 'minute' | 'day';

export const TIMESTAMP_PRECISION_SYMBOLS = [
  'unknown',
  'millisecond',
  'second',
  'minute',
  'day',
] as const satisfies readonly TimestampPrecision[];
