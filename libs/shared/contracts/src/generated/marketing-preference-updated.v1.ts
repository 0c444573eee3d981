// Generated from schemas/*.avsc by tools/codegen/avro-to-ts.ts — do not edit.

import type { Channel, EventSource, SubscriptionStatus } from './common';

/** The name of schemas/marketing-preference-updated.v1.avsc, as used in `TOPICS[...].valueSchema`. */
export const MarketingPreferenceUpdatedSchemaName = 'marketing-preference-updated.v1';

/**
 * THE event log: one contact's consent on one channel changed. Keyed by externalId, kept forever; carries no email, phone or traits.
 * Avro record `io.optstream.preferences.v1.MarketingPreferenceUpdated`.
 */
export interface MarketingPreferenceUpdated {
  /** Deterministic UUID derived from the causing inbound event. */
  readonly eventId: string;
  /** The contact's pseudonymous, immutable id. */
  readonly externalId: string;
  /** Segment property `channel`. */
  readonly channel: Channel;
  /** Segment property `new_status`. */
  readonly newStatus: SubscriptionStatus;
  /** Segment property `source_of_change`. */
  readonly sourceOfChange: string;
  readonly source: EventSource;
  /**
   * Segment property `timestamp`: when the person acted; orders changes.
   * Epoch milliseconds (Avro timestamp-millis, decoded as a number).
   */
  readonly occurredAt: number;
  /** Epoch milliseconds (Avro timestamp-millis, decoded as a number). */
  readonly recordedAt: number;
  /** eventId of the inbound fact (or identity event) that caused this change. */
  readonly causationId: string;
}

/** schemas/marketing-preference-updated.v1.avsc verbatim, so runtime code (registry, codecs) never reads files. */
export const MarketingPreferenceUpdatedSchema = {
  type: 'record',
  name: 'MarketingPreferenceUpdated',
  namespace: 'io.optstream.preferences.v1',
  doc: "THE event log: one contact's consent on one channel changed. Keyed by externalId, kept forever; carries no email, phone or traits.",
  fields: [
    { name: 'eventId', type: 'string', doc: 'Deterministic UUID derived from the causing inbound event.' },
    { name: 'externalId', type: 'string', doc: "The contact's pseudonymous, immutable id." },
    {
      name: 'channel',
      type: {
        type: 'enum',
        name: 'Channel',
        namespace: 'io.optstream.common.v1',
        symbols: ['unknown', 'email', 'sms', 'push'],
        default: 'unknown',
      },
      doc: 'Segment property `channel`.',
    },
    {
      name: 'newStatus',
      type: {
        type: 'enum',
        name: 'SubscriptionStatus',
        namespace: 'io.optstream.common.v1',
        symbols: ['unknown', 'subscribed', 'unsubscribed'],
        default: 'unknown',
      },
      doc: 'Segment property `new_status`.',
    },
    { name: 'sourceOfChange', type: 'string', doc: 'Segment property `source_of_change`.' },
    {
      name: 'source',
      type: {
        type: 'record',
        name: 'EventSource',
        namespace: 'io.optstream.common.v1',
        fields: [
          {
            name: 'system',
            type: {
              type: 'enum',
              name: 'SourceSystem',
              namespace: 'io.optstream.common.v1',
              symbols: [
                'unknown',
                'sendgrid',
                'twilio',
                'mailchimp',
                'segment',
                'optstream_api',
                'backfill',
                'optstream',
              ],
              default: 'unknown',
            },
          },
          { name: 'providerEventRef', type: 'string' },
        ],
      },
    },
    {
      name: 'occurredAt',
      type: { type: 'long', logicalType: 'timestamp-millis' },
      doc: 'Segment property `timestamp`: when the person acted; orders changes.',
    },
    { name: 'recordedAt', type: { type: 'long', logicalType: 'timestamp-millis' } },
    {
      name: 'causationId',
      type: 'string',
      doc: 'eventId of the inbound fact (or identity event) that caused this change.',
    },
  ],
} as const;
