import type { MarketingPreferenceUpdated } from '@optstream/contracts';
import { chunks } from './chunks';
import { emittedPreferenceKey, supersedes } from './emitted-preferences';
import type { Queryable } from './queryable';

/** One statement cannot update a row twice: the events are reduced by the log's rule first. */
export const latestPerContactChannelTopic = (
  events: readonly MarketingPreferenceUpdated[],
): MarketingPreferenceUpdated[] => {
  const latest = new Map<string, MarketingPreferenceUpdated>();
  for (const e of events) {
    const key = emittedPreferenceKey(e);
    const current = latest.get(key);
    if (current === undefined || supersedes(e, current)) latest.set(key, e);
  }
  return [...latest.values()];
};

/** The 11 array parameters `upsertPreferences` reads, in its column order. */
export const preferenceColumns = (events: readonly MarketingPreferenceUpdated[]): unknown[] => [
  events.map((e) => e.externalId),
  events.map((e) => e.channel),
  events.map((e) => e.eventId),
  events.map((e) => e.newStatus),
  events.map((e) => e.sourceOfChange),
  events.map((e) => e.source.system),
  events.map((e) => e.source.providerEventRef),
  events.map((e) => e.occurredAt),
  events.map((e) => e.topic ?? ''),
  events.map((e) => (e.evidence == null ? null : JSON.stringify(e.evidence))),
  events.map((e) => e.pendingExpiresAt ?? null),
];

/**
 * The upsert of `<schema>.emitted_preferences` from the 11 arrays starting at parameter `first`: the
 * stored row is replaced only by a later one (`supersedes`), whatever the arrival order.
 */
export const upsertPreferences = (schema: string, first: number): string => {
  const p = (i: number) => `$${first + i}`;
  return `INSERT INTO ${schema}.emitted_preferences AS p
         (external_id, channel, event_id, new_status, source_of_change, source_system, provider_event_ref, occurred_at,
          topic, evidence, pending_expires_at)
       SELECT * FROM unnest(${p(0)}::text[], ${p(1)}::text[], ${p(2)}::text[], ${p(3)}::text[], ${p(4)}::text[], ${p(5)}::text[], ${p(6)}::text[], ${p(7)}::bigint[],
                            ${p(8)}::text[], ${p(9)}::jsonb[], ${p(10)}::bigint[])
       ON CONFLICT (external_id, channel, topic) DO UPDATE SET
         event_id = EXCLUDED.event_id, new_status = EXCLUDED.new_status,
         source_of_change = EXCLUDED.source_of_change, source_system = EXCLUDED.source_system,
         provider_event_ref = EXCLUDED.provider_event_ref, occurred_at = EXCLUDED.occurred_at,
         evidence = EXCLUDED.evidence, pending_expires_at = EXCLUDED.pending_expires_at
       WHERE (EXCLUDED.occurred_at, EXCLUDED.new_status = 'unsubscribed', EXCLUDED.event_id)
           > (p.occurred_at, p.new_status = 'unsubscribed', p.event_id)`;
};

/** Remembers the latest emitted preference per (contact, channel, topic) in `<schema>` (a rebuild's tables). */
export const rememberPreferences = async (
  q: Queryable,
  events: readonly MarketingPreferenceUpdated[],
  schema: string,
): Promise<void> => {
  for (const chunk of chunks(latestPerContactChannelTopic(events))) {
    await q.query(upsertPreferences(schema, 1), preferenceColumns(chunk));
  }
};
