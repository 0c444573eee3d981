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
  readonly status: SubscriptionStatus;
  /** Epoch milliseconds (Avro timestamp-millis, decoded as a number). */
  readonly occurredAt: number;
  /** The winning Marketing Preference Updated event. */
  readonly eventId: string;
  readonly sourceOfChange: string;
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
                symbols: ['unknown', 'subscribed', 'unsubscribed'],
                default: 'unknown',
              },
            },
            { name: 'occurredAt', type: { type: 'long', logicalType: 'timestamp-millis' } },
            { name: 'eventId', type: 'string', doc: 'The winning Marketing Preference Updated event.' },
            { name: 'sourceOfChange', type: 'string' },
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
