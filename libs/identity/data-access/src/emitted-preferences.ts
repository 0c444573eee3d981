import type { Channel, Evidence, SourceSystem, SubscriptionStatus } from '@optstream/contracts';
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
