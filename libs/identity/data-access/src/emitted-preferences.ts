import type {
  Channel,
  Evidence,
  MarketingPreferenceUpdated,
  SourceSystem,
  SubscriptionStatus,
} from '@optstream/contracts';
import { chunks } from './chunks';
import { selectRows, type Queryable } from './queryable';

/** A contact's latest emitted consent on one channel or topic: what a merge re-emits for the survivor. */
export interface EmittedPreference {
  readonly eventId: string;
  readonly externalId: string;
  readonly channel: Channel;
  /** null: the whole channel. */
  readonly topic?: string | null;
  readonly evidence?: Evidence | null;
  readonly pendingExpiresAt?: number | null;
  readonly newStatus: SubscriptionStatus;
  readonly sourceOfChange: string;
  readonly source: { readonly system: SourceSystem; readonly providerEventRef: string };
  readonly occurredAt: number;
}

/**
 * Whether `candidate` replaces `current` as the latest preference of one contact and channel: the
 * log's own rule (rule 3 of docs/architecture.md): later occurredAt wins; on an exact tie unsubscribed
 * wins, then the greater eventId. So a re-emitted, older state never overwrites newer state already on
 * the survivor, and the outcome does not depend on arrival order. `upsertPreferences` applies the same.
 */
export const supersedes = (
  candidate: Pick<EmittedPreference, 'occurredAt' | 'newStatus' | 'eventId'>,
  current: Pick<EmittedPreference, 'occurredAt' | 'newStatus' | 'eventId'>,
): boolean => {
  if (candidate.occurredAt !== current.occurredAt) return candidate.occurredAt > current.occurredAt;
  const a = candidate.newStatus === 'unsubscribed';
  const b = current.newStatus === 'unsubscribed';
  if (a !== b) return a;
  return candidate.eventId > current.eventId;
};

interface Row {
  external_id: string;
  channel: Channel;
  event_id: string;
  new_status: SubscriptionStatus;
  source_of_change: string;
  source_system: SourceSystem;
  provider_event_ref: string;
  occurred_at: string;
  topic: string;
  evidence: Evidence | null;
  pending_expires_at: string | null;
}

/**
 * The latest emitted preference per channel and topic of each contact (channel, then topic order; the
 * channel-wide one first), for re-emits after merges.
 */
export const emittedPreferencesOf = async (
  q: Queryable,
  externalIds: readonly string[],
): Promise<Map<string, EmittedPreference[]>> => {
  const out = new Map<string, EmittedPreference[]>();
  if (externalIds.length === 0) return out;
  const rows = await selectRows<Row>(
    q,
    `SELECT * FROM identity.emitted_preferences WHERE external_id = ANY($1::text[]) ORDER BY external_id, channel, topic`,
    [[...externalIds]],
  );
  for (const r of rows) {
    const list = out.get(r.external_id) ?? [];
    list.push({
      eventId: r.event_id,
      externalId: r.external_id,
      channel: r.channel,
      newStatus: r.new_status,
      sourceOfChange: r.source_of_change,
      source: { system: r.source_system, providerEventRef: r.provider_event_ref },
      // bigint comes back as a string from node-postgres; epoch ms fits a double exactly.
      occurredAt: Number(r.occurred_at),
      topic: r.topic === '' ? null : r.topic,
      evidence: r.evidence,
      pendingExpiresAt: r.pending_expires_at === null ? null : Number(r.pending_expires_at),
    });
    out.set(r.external_id, list);
  }
  return out;
};

/** The row key of a preference: contact, channel and topic ('' = the whole channel). */
export const emittedPreferenceKey = (
  e: Pick<EmittedPreference, 'externalId' | 'channel' | 'topic'>,
): string => `${e.externalId}\u0000${e.channel}\u0000${e.topic ?? ''}`;

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
