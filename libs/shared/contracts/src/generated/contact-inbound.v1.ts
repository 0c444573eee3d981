// Generated from schemas/*.avsc by tools/codegen/avro-to-ts.ts — do not edit.

import type { Channel, EventSource, SubscriptionStatus } from './common';

/** The name of schemas/contact-inbound.v1.avsc, as used in `TOPICS[...].valueSchema`. */
export const ContactInboundSchemaName = 'contact-inbound.v1';

/**
 * A normalized inbound fact from the ingestion gateway: a preference change, an identify or a push-permission change. Holds raw identifiers, so its topic has a bounded retention.
 * Avro record `io.optstream.inbound.v1.ContactInbound`.
 */
export interface ContactInbound {
  /** Deterministic UUID derived from (source.system, source.providerEventRef). */
  readonly eventId: string;
  readonly source: EventSource;
  /**
   * When the person acted (provider timestamp when given).
   * Epoch milliseconds (Avro timestamp-millis, decoded as a number).
   */
  readonly occurredAt: number;
  /**
   * When the gateway received it.
   * Epoch milliseconds (Avro timestamp-millis, decoded as a number).
   */
  readonly receivedAt: number;
  readonly identifiers: InboundIdentifiers;
  /** Which of the optional fact fields below is set. */
  readonly kind: InboundFactKind;
  readonly preferenceChange: PreferenceChange | null;
  readonly identify: Identify | null;
  readonly pushPermissionChange: PushPermissionChange | null;
}

/** Avro record `io.optstream.inbound.v1.InboundIdentifiers`. */
export interface InboundIdentifiers {
  readonly externalId: string | null;
  /** Normalized: trimmed, lowercased. */
  readonly email: string | null;
  /** E.164. */
  readonly phone: string | null;
  readonly anonymousId: string | null;
}

/**
 * Avro enum `io.optstream.inbound.v1.InboundFactKind`.
 * Readers map unknown symbols to 'unknown'.
 */
export type InboundFactKind =
  | 'unknown'
  | 'preference_change'
  | 'identify'
  | 'push_permission_change'
  | 'erasure_request';

export const INBOUND_FACT_KIND_SYMBOLS = [
  'unknown',
  'preference_change',
  'identify',
  'push_permission_change',
  'erasure_request',
] as const satisfies readonly InboundFactKind[];

/** Avro record `io.optstream.inbound.v1.PreferenceChange`. */
export interface PreferenceChange {
  readonly channel: Channel;
  readonly newStatus: SubscriptionStatus;
  /** e.g. "Email Unsubscribe Link", "SMS STOP Reply". */
  readonly sourceOfChange: string;
}

/** Avro record `io.optstream.inbound.v1.Identify`. */
export interface Identify {
  /** The identify call's traits as a JSON object. */
  readonly traitsJson: string;
}

/** Avro record `io.optstream.inbound.v1.PushPermissionChange`. */
export interface PushPermissionChange {
  readonly enabled: boolean;
  readonly sourceOfChange: string;
}

/** schemas/contact-inbound.v1.avsc verbatim, so runtime code (registry, codecs) never reads files. */
export const ContactInboundSchema = {
  type: 'record',
  name: 'ContactInbound',
  namespace: 'io.optstream.inbound.v1',
  doc: 'A normalized inbound fact from the ingestion gateway: a preference change, an identify or a push-permission change. Holds raw identifiers, so its topic has a bounded retention.',
  fields: [
    {
      name: 'eventId',
      type: 'string',
      doc: 'Deterministic UUID derived from (source.system, source.providerEventRef).',
    },
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
            doc: 'The system the fact came from.',
          },
          {
            name: 'providerEventRef',
            type: 'string',
            doc: "The provider's own id: sg_event_id, MessageSid, messageId, ...",
          },
        ],
      },
    },
    {
      name: 'occurredAt',
      type: { type: 'long', logicalType: 'timestamp-millis' },
      doc: 'When the person acted (provider timestamp when given).',
    },
    {
      name: 'receivedAt',
      type: { type: 'long', logicalType: 'timestamp-millis' },
      doc: 'When the gateway received it.',
    },
    {
      name: 'identifiers',
      type: {
        type: 'record',
        name: 'InboundIdentifiers',
        fields: [
          { name: 'externalId', type: ['null', 'string'], default: null },
          { name: 'email', type: ['null', 'string'], default: null, doc: 'Normalized: trimmed, lowercased.' },
          { name: 'phone', type: ['null', 'string'], default: null, doc: 'E.164.' },
          { name: 'anonymousId', type: ['null', 'string'], default: null },
        ],
      },
    },
    {
      name: 'kind',
      type: {
        type: 'enum',
        name: 'InboundFactKind',
        symbols: ['unknown', 'preference_change', 'identify', 'push_permission_change', 'erasure_request'],
        default: 'unknown',
      },
      doc: 'Which of the optional fact fields below is set.',
    },
    {
      name: 'preferenceChange',
      type: [
        'null',
        {
          type: 'record',
          name: 'PreferenceChange',
          fields: [
            {
              name: 'channel',
              type: {
                type: 'enum',
                name: 'Channel',
                namespace: 'io.optstream.common.v1',
                symbols: ['unknown', 'email', 'sms', 'push'],
                default: 'unknown',
              },
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
            },
            {
              name: 'sourceOfChange',
              type: 'string',
              doc: 'e.g. "Email Unsubscribe Link", "SMS STOP Reply".',
            },
          ],
        },
      ],
      default: null,
    },
    {
      name: 'identify',
      type: [
        'null',
        {
          type: 'record',
          name: 'Identify',
          fields: [
            { name: 'traitsJson', type: 'string', doc: "The identify call's traits as a JSON object." },
          ],
        },
      ],
      default: null,
    },
    {
      name: 'pushPermissionChange',
      type: [
        'null',
        {
          type: 'record',
          name: 'PushPermissionChange',
          fields: [
            { name: 'enabled', type: 'boolean' },
            { name: 'sourceOfChange', type: 'string' },
          ],
        },
      ],
      default: null,
    },
  ],
} as const;
