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
 * Avro enum `io.optstream.common.v1.SubscriptionStatus`.
 * Readers map unknown symbols to 'unknown'.
 */
export type SubscriptionStatus = 'unknown' | 'subscribed' | 'unsubscribed';

export const SUBSCRIPTION_STATUS_SYMBOLS = [
  'unknown',
  'subscribed',
  'unsubscribed',
] as const satisfies readonly SubscriptionStatus[];
