// Generated from schemas/*.avsc by tools/codegen/avro-to-ts.ts — do not edit.

import type { Channel, EventSource, Evidence, SubscriptionStatus, TimestampPrecision } from './common';

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
  /** Segment property `new_status`. pending: asked for, awaiting confirmation (double opt-in); not consent yet. */
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
  /** A topic id of the catalogue (config/consent-topics.json); null means the whole channel. */
  readonly topic?: string | null;
  /** Proof of consent; null for events written before it existed. */
  readonly evidence?: Evidence | null;
  /** newStatus pending: when the unconfirmed request lapses. */
  readonly pendingExpiresAt?: number | null;
  readonly occurredAtPrecision?: TimestampPrecision;
  /** The occurredAt the source sent, when it lay too far after receipt and occurredAt was clamped to the receive time. */
  readonly originalOccurredAt?: number | null;
  /** Proof of consent: the IP address the act came from, sealed. */
  readonly sealedIpAddress?: SealedText | null;
  /** Proof of consent: the user agent, sealed. */
  readonly sealedUserAgent?: SealedText | null;
}

/**
 * A personal value sealed (AES-256-GCM) with the contact data key; erasure destroys the key.
 * Avro record `io.optstream.preferences.v1.SealedText`.
 */
export interface SealedText {
  readonly sealedValue: Buffer;
  /** Which data key sealed it. */
  readonly dataKeyId: string;
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
        symbols: ['unknown', 'subscribed', 'unsubscribed', 'pending'],
        default: 'unknown',
      },
      doc: 'Segment property `new_status`. pending: asked for, awaiting confirmation (double opt-in); not consent yet.',
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
      doc: 'Proof of consent; null for events written before it existed.',
    },
    {
      name: 'pendingExpiresAt',
      type: ['null', { type: 'long', logicalType: 'timestamp-millis' }],
      default: null,
      omittable: true,
      doc: 'newStatus pending: when the unconfirmed request lapses.',
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
      doc: 'The occurredAt the source sent, when it lay too far after receipt and occurredAt was clamped to the receive time.',
    },
    {
      name: 'sealedIpAddress',
      type: [
        'null',
        {
          type: 'record',
          name: 'SealedText',
          doc: 'A personal value sealed (AES-256-GCM) with the contact data key; erasure destroys the key.',
          fields: [
            { name: 'sealedValue', type: 'bytes' },
            { name: 'dataKeyId', type: 'string', doc: 'Which data key sealed it.' },
          ],
        },
      ],
      default: null,
      omittable: true,
      doc: 'Proof of consent: the IP address the act came from, sealed.',
    },
    {
      name: 'sealedUserAgent',
      type: ['null', 'SealedText'],
      default: null,
      omittable: true,
      doc: 'Proof of consent: the user agent, sealed.',
    },
  ],
} as const;
