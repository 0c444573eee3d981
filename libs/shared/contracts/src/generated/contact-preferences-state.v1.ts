// Generated from schemas/*.avsc by tools/codegen/avro-to-ts.ts — do not edit.

import type { Channel, SubscriptionStatus } from './common';

/** The name of schemas/contact-preferences-state.v1.avsc, as used in `TOPICS[...].valueSchema`. */
export const ContactPreferencesStateSchemaName = 'contact-preferences-state.v1';

/**
 * The full current consent of one contact after a change; compacted topic keyed by externalId. No email or phone.
 * Avro record `io.optstream.preferences.v1.ContactPreferencesState`.
 */
export interface ContactPreferencesState {
  readonly externalId: string;
  readonly channels: readonly ChannelPreference[];
  /** Increases with every effective change of this contact; connectors skip versions they delivered. */
  readonly version: number;
  /** Epoch milliseconds (Avro timestamp-millis, decoded as a number). */
  readonly updatedAt: number;
  /** eventId of the change that produced this state. */
  readonly causationId: string;
}

/** Avro record `io.optstream.preferences.v1.ChannelPreference`. */
export interface ChannelPreference {
  readonly channel: Channel;
  /** The channel-wide choice. unknown: no channel-wide choice on record (only topic choices); pending: awaiting confirmation, not consent. */
  readonly status: SubscriptionStatus;
  /** Epoch milliseconds (Avro timestamp-millis, decoded as a number). */
  readonly occurredAt: number;
  /** The winning Marketing Preference Updated event. */
  readonly eventId: string;
  readonly sourceOfChange: string;
  /** status pending: when the request lapses. */
  readonly pendingExpiresAt?: number | null;
  /** Topic choices of this channel (topics with no choice on record follow the channel). Sorted by topic id. */
  readonly topics?: readonly TopicPreference[];
}

/** Avro record `io.optstream.preferences.v1.TopicPreference`. */
export interface TopicPreference {
  /** Topic id of the catalogue (config/consent-topics.json). */
  readonly topic: string;
  /** The topic's own latest choice, as recorded. */
  readonly status: SubscriptionStatus;
  /** The status to act on: unsubscribed while the channel is opted out (a channel-wide opt-out beats every topic), pending while the channel is pending, else status. */
  readonly effectiveStatus: SubscriptionStatus;
  /** Epoch milliseconds (Avro timestamp-millis, decoded as a number). */
  readonly occurredAt: number;
  /** The winning Marketing Preference Updated event of this topic. */
  readonly eventId: string;
  readonly sourceOfChange: string;
  /** status pending: when the request lapses. */
  readonly pendingExpiresAt?: number | null;
}

/** schemas/contact-preferences-state.v1.avsc verbatim, so runtime code (registry, codecs) never reads files. */
export const ContactPreferencesStateSchema = {
  type: 'record',
  name: 'ContactPreferencesState',
  namespace: 'io.optstream.preferences.v1',
  doc: 'The full current consent of one contact after a change; compacted topic keyed by externalId. No email or phone.',
  fields: [
    { name: 'externalId', type: 'string' },
    {
      name: 'channels',
      type: {
        type: 'array',
        items: {
          type: 'record',
          name: 'ChannelPreference',
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
              name: 'status',
              type: {
                type: 'enum',
                name: 'SubscriptionStatus',
                namespace: 'io.optstream.common.v1',
                symbols: ['unknown', 'subscribed', 'unsubscribed', 'pending'],
                default: 'unknown',
              },
              doc: 'The channel-wide choice. unknown: no channel-wide choice on record (only topic choices); pending: awaiting confirmation, not consent.',
            },
            { name: 'occurredAt', type: { type: 'long', logicalType: 'timestamp-millis' } },
            { name: 'eventId', type: 'string', doc: 'The winning Marketing Preference Updated event.' },
            { name: 'sourceOfChange', type: 'string' },
            {
              name: 'pendingExpiresAt',
              type: ['null', { type: 'long', logicalType: 'timestamp-millis' }],
              default: null,
              omittable: true,
              doc: 'status pending: when the request lapses.',
            },
            {
              name: 'topics',
              default: [],
              omittable: true,
              doc: 'Topic choices of this channel (topics with no choice on record follow the channel). Sorted by topic id.',
              type: {
                type: 'array',
                items: {
                  type: 'record',
                  name: 'TopicPreference',
                  fields: [
                    {
                      name: 'topic',
                      type: 'string',
                      doc: 'Topic id of the catalogue (config/consent-topics.json).',
                    },
                    {
                      name: 'status',
                      type: 'io.optstream.common.v1.SubscriptionStatus',
                      doc: "The topic's own latest choice, as recorded.",
                    },
                    {
                      name: 'effectiveStatus',
                      type: 'io.optstream.common.v1.SubscriptionStatus',
                      doc: 'The status to act on: unsubscribed while the channel is opted out (a channel-wide opt-out beats every topic), pending while the channel is pending, else status.',
                    },
                    { name: 'occurredAt', type: { type: 'long', logicalType: 'timestamp-millis' } },
                    {
                      name: 'eventId',
                      type: 'string',
                      doc: 'The winning Marketing Preference Updated event of this topic.',
                    },
                    { name: 'sourceOfChange', type: 'string' },
                    {
                      name: 'pendingExpiresAt',
                      type: ['null', { type: 'long', logicalType: 'timestamp-millis' }],
                      default: null,
                      omittable: true,
                      doc: 'status pending: when the request lapses.',
                    },
                  ],
                },
              },
            },
          ],
        },
      },
    },
    {
      name: 'version',
      type: 'long',
      doc: 'Increases with every effective change of this contact; connectors skip versions they delivered.',
    },
    { name: 'updatedAt', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'causationId', type: 'string', doc: 'eventId of the change that produced this state.' },
  ],
} as const;
