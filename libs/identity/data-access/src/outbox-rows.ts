import { chunks } from './chunks';
import { encodeIdentityEvent, encodePreferenceEvent } from './event-bytes';
import type { Queryable } from './queryable';
import type { Resolution } from './resolutions';

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
