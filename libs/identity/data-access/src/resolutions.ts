import type { IdentityEvent, MarketingPreferenceUpdated } from '@optstream/contracts';
import { chunks } from './chunks';
import {
  decodeIdentityEvent,
  decodePreferenceEvent,
  encodeIdentityEvent,
  encodePreferenceEvent,
} from './event-bytes';
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

/**
 * Outbox rows as a multi-row VALUES list (each row holds two arrays, which unnest cannot carry), their
 * parameters appended to `params`: 3 a row, so OUTBOX_ROWS_PER_STATEMENT rows stay well under
 * Postgres's 65,535. Null when there is nothing to insert.
 */
export const outboxValues = (resolutions: readonly Resolution[], params: unknown[]): string | null => {
  if (resolutions.length === 0) return null;
  return resolutions
    .map((r) => {
      params.push(
        r.inboundEventId,
        r.identityEvents.map(encodeIdentityEvent),
        r.preferenceEvents.map(encodePreferenceEvent),
      );
      const n = params.length;
      return `($${n - 2}, $${n - 1}::bytea[], $${n}::bytea[])`;
    })
    .join(', ');
};

export const OUTBOX_ROWS_PER_STATEMENT = 5_000;

/** Outbox rows that did not fit in the batch's one statement, in further statements. */
export const insertResolutions = async (q: Queryable, resolutions: readonly Resolution[]): Promise<void> => {
  for (const chunk of chunks(resolutions, OUTBOX_ROWS_PER_STATEMENT)) {
    const params: unknown[] = [];
    const values = outboxValues(chunk, params);
    if (values === null) continue;
    await q.query(
      `INSERT INTO identity.resolutions (inbound_event_id, identity_events, preference_events)
       VALUES ${values}`,
      params,
    );
  }
};
