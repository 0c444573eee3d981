import type {
  Channel,
  MarketingPreferenceUpdated,
  SourceSystem,
  SubscriptionStatus,
} from '@optstream/contracts';
import { selectRows, type Queryable } from './queryable';

/** A contact's latest emitted consent on one channel: what a merge re-emits for the survivor. */
export interface EmittedPreference {
  readonly eventId: string;
  readonly externalId: string;
  readonly channel: Channel;
  readonly newStatus: SubscriptionStatus;
  readonly sourceOfChange: string;
  readonly source: { readonly system: SourceSystem; readonly providerEventRef: string };
  readonly occurredAt: number;
}

/**
 * Keeps the latest preference per (contact, channel) by the log's own rule (rule 3 of docs/architecture.md): later occurredAt
 * wins; on an exact tie unsubscribed wins, then the greater eventId. So a re-emitted, older state never
 * overwrites newer state already on the survivor, and the outcome does not depend on arrival order.
 */
export const rememberPreference = async (q: Queryable, event: MarketingPreferenceUpdated): Promise<void> => {
  await q.query(
    `INSERT INTO identity.emitted_preferences AS p
       (external_id, channel, event_id, new_status, source_of_change, source_system, provider_event_ref, occurred_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (external_id, channel) DO UPDATE SET
       event_id = EXCLUDED.event_id, new_status = EXCLUDED.new_status,
       source_of_change = EXCLUDED.source_of_change, source_system = EXCLUDED.source_system,
       provider_event_ref = EXCLUDED.provider_event_ref, occurred_at = EXCLUDED.occurred_at
     WHERE (EXCLUDED.occurred_at, EXCLUDED.new_status = 'unsubscribed', EXCLUDED.event_id)
         > (p.occurred_at, p.new_status = 'unsubscribed', p.event_id)`,
    [
      event.externalId,
      event.channel,
      event.eventId,
      event.newStatus,
      event.sourceOfChange,
      event.source.system,
      event.source.providerEventRef,
      event.occurredAt,
    ],
  );
};

/**
 * Whether `candidate` replaces `current` as the latest preference of one contact and channel: the rule
 * of rememberPreference's upsert (later occurredAt; on a tie unsubscribed; then the greater eventId).
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
}

/** The contact's latest emitted preference per channel, in channel order. */
export const emittedPreferences = async (q: Queryable, externalId: string): Promise<EmittedPreference[]> => {
  const rows = await selectRows<Row>(
    q,
    `SELECT * FROM identity.emitted_preferences WHERE external_id = $1 ORDER BY channel`,
    [externalId],
  );
  return rows.map((r) => ({
    eventId: r.event_id,
    externalId: r.external_id,
    channel: r.channel,
    newStatus: r.new_status,
    sourceOfChange: r.source_of_change,
    source: { system: r.source_system, providerEventRef: r.provider_event_ref },
    // bigint comes back as a string from node-postgres; epoch ms fits a double exactly.
    occurredAt: Number(r.occurred_at),
  }));
};
