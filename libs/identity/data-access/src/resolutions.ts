import type { IdentityEvent, MarketingPreferenceUpdated } from '@optstream/contracts';
import { decodeIdentityEvent, decodePreferenceEvent } from './event-bytes';
import { selectRows, type Queryable } from './queryable';

/** Everything the resolver publishes for one inbound fact, final (identifiers sealed): the outbox row. */
export interface Resolution {
  readonly inboundEventId: string;
  readonly identityEvents: readonly IdentityEvent[];
  readonly preferenceEvents: readonly MarketingPreferenceUpdated[];
}

export interface StoredResolution extends Resolution {
  readonly published: boolean;
}

/** The stored outcomes of those inbound facts that were already resolved, by inbound eventId. */
export const findResolutions = async (
  q: Queryable,
  inboundEventIds: readonly string[],
): Promise<Map<string, StoredResolution>> => {
  if (inboundEventIds.length === 0) return new Map();
  const rows = await selectRows<{
    inbound_event_id: string;
    identity_events: Buffer[];
    preference_events: Buffer[];
    published: boolean;
  }>(
    q,
    `SELECT inbound_event_id, identity_events, preference_events, published_at IS NOT NULL AS published
       FROM identity.resolutions WHERE inbound_event_id = ANY($1::text[])`,
    [[...inboundEventIds]],
  );
  return new Map(
    rows.map((r) => [
      r.inbound_event_id,
      {
        inboundEventId: r.inbound_event_id,
        identityEvents: r.identity_events.map(decodeIdentityEvent),
        preferenceEvents: r.preference_events.map(decodePreferenceEvent),
        published: r.published,
      },
    ]),
  );
};

/** After Kafka acknowledged the outputs of these facts: a later redelivery then publishes nothing. */
export const markPublishedMany = async (q: Queryable, inboundEventIds: readonly string[]): Promise<void> => {
  if (inboundEventIds.length === 0) return;
  await q.query(
    `UPDATE identity.resolutions SET published_at = now()
      WHERE inbound_event_id = ANY($1::text[]) AND published_at IS NULL`,
    [[...inboundEventIds]],
  );
};
