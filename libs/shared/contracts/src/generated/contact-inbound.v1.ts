// Generated from schemas/*.avsc by tools/codegen/avro-to-ts.ts — do not edit.

import type {
  Channel,
  EventSource,
  Evidence,
  SourceTrust,
  SubscriptionStatus,
  TimestampPrecision,
} from './common';

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
  /** How far the sending credential is trusted (a public write key is client). */
  readonly sourceTrust?: SourceTrust;
  readonly occurredAtPrecision?: TimestampPrecision;
  /** Set when occurredAt was clamped to receivedAt: the value the source sent. */
  readonly originalOccurredAt?: number | null;
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
  /** A topic id of the catalogue (config/consent-topics.json); null means the whole channel. */
  readonly topic?: string | null;
  /** Proof of consent as the source gave it. */
  readonly evidence?: Evidence | null;
  /** newStatus pending: when the unconfirmed request lapses. */
  readonly pendingExpiresAt?: number | null;
  /** Proof of consent (personal data; this topic forgets it in 7 days, the resolver seals it). */
  readonly ipAddress?: string | null;
  /** Proof of consent (personal data, as ipAddress). */
  readonly userAgent?: string | null;
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
                symbols: ['unknown', 'subscribed', 'unsubscribed', 'pending'],
                default: 'unknown',
              },
            },
            {
              name: 'sourceOfChange',
              type: 'string',
              doc: 'e.g. "Email Unsubscribe Link", "SMS STOP Reply".',
            },
            {
              name: 'topic',
              type: ['null', 'string'],
              default: null,
              omittable: true,
              doc: 'A topic id of the catalogue (config/consent-topics.json); null means the whole channel.',
            },
            {
              name: 'evidence',
              type: [
                'null',
                {
                  type: 'record',
                  name: 'Evidence',
                  namespace: 'io.optstream.common.v1',
                  doc: 'Proof of consent: how strong the evidence is, what act it records, and where, under which text and basis it was collected. No personal data (IP address and user agent travel separately, sealed).',
                  fields: [
                    {
                      name: 'strength',
                      type: {
                        type: 'enum',
                        name: 'EvidenceStrength',
                        namespace: 'io.optstream.common.v1',
                        doc: 'explicit: an act of the person (unsubscribe link, STOP/START, spam report, preference change, confirmation click); snapshot: a copy of a state (identify traits, CSV backfill, CRM sync). unknown (events written before this field) ranks as explicit, which is how they were always treated.',
                        symbols: ['unknown', 'explicit', 'snapshot'],
                        default: 'unknown',
                      },
                      default: 'unknown',
                      omittable: true,
                    },
                    {
                      name: 'kind',
                      type: {
                        type: 'enum',
                        name: 'EvidenceKind',
                        namespace: 'io.optstream.common.v1',
                        doc: 'What the person (or system) did; docs/consent-model.md lists which kinds are explicit.',
                        symbols: [
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
                        ],
                        default: 'unknown',
                      },
                      default: 'unknown',
                      omittable: true,
                    },
                    {
                      name: 'trust',
                      type: {
                        type: 'enum',
                        name: 'SourceTrust',
                        namespace: 'io.optstream.common.v1',
                        doc: 'server: a signed or server-side source; client: a public (browser/app) write key, which may opt out but never opt in or link identifiers. unknown (events written before this field) ranks as server.',
                        symbols: ['unknown', 'server', 'client'],
                        default: 'unknown',
                      },
                      default: 'unknown',
                      omittable: true,
                    },
                    {
                      name: 'collectionPoint',
                      type: ['null', 'string'],
                      default: null,
                      omittable: true,
                      doc: 'Where consent was collected: a form id, page URL path, SMS keyword.',
                    },
                    {
                      name: 'consentTextId',
                      type: ['null', 'string'],
                      default: null,
                      omittable: true,
                      doc: 'Id of the consent wording shown to the person.',
                    },
                    {
                      name: 'consentTextVersion',
                      type: ['null', 'string'],
                      default: null,
                      omittable: true,
                      doc: 'Version (or hash) of that wording.',
                    },
                    {
                      name: 'actor',
                      type: ['null', 'string'],
                      default: null,
                      omittable: true,
                      doc: '"person", "agent:<id>" or "system:<name>": who performed the change.',
                    },
                    {
                      name: 'legalBasis',
                      type: ['null', 'string'],
                      default: null,
                      omittable: true,
                      doc: 'e.g. consent, legitimate_interest; defaults to the topic catalogue entry.',
                    },
                    {
                      name: 'jurisdiction',
                      type: ['null', 'string'],
                      default: null,
                      omittable: true,
                      doc: 'e.g. EU, US-CA (ISO 3166 country or subdivision).',
                    },
                  ],
                },
              ],
              default: null,
              omittable: true,
              doc: 'Proof of consent as the source gave it.',
            },
            {
              name: 'pendingExpiresAt',
              type: ['null', { type: 'long', logicalType: 'timestamp-millis' }],
              default: null,
              omittable: true,
              doc: 'newStatus pending: when the unconfirmed request lapses.',
            },
            {
              name: 'ipAddress',
              type: ['null', 'string'],
              default: null,
              omittable: true,
              doc: 'Proof of consent (personal data; this topic forgets it in 7 days, the resolver seals it).',
            },
            {
              name: 'userAgent',
              type: ['null', 'string'],
              default: null,
              omittable: true,
              doc: 'Proof of consent (personal data, as ipAddress).',
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
    {
      name: 'sourceTrust',
      type: 'io.optstream.common.v1.SourceTrust',
      default: 'unknown',
      omittable: true,
      doc: 'How far the sending credential is trusted (a public write key is client).',
    },
    {
      name: 'occurredAtPrecision',
      type: {
        type: 'enum',
        name: 'TimestampPrecision',
        namespace: 'io.optstream.common.v1',
        doc: "The resolution of the source's clock: SendGrid and Mailchimp stamp whole seconds. Changes are compared at the coarser of two precisions, a tie going to the opt-out. unknown (events written before this field) is millisecond.",
        symbols: ['unknown', 'millisecond', 'second', 'minute', 'day'],
        default: 'unknown',
      },
      default: 'unknown',
      omittable: true,
    },
    {
      name: 'originalOccurredAt',
      type: ['null', { type: 'long', logicalType: 'timestamp-millis' }],
      default: null,
      omittable: true,
      doc: 'Set when occurredAt was clamped to receivedAt: the value the source sent.',
    },
  ],
} as const;
