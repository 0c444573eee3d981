import type { MarketingPreferenceUpdated } from '@optstream/contracts';
import {
  CHANNEL_ORDER,
  evolve,
  isKnownChannel,
  isKnownStatus,
  type ContactState,
  type Effect,
} from '@optstream/preferences-domain';
import type { DataSource, EntityManager } from 'typeorm';
import { nextOffsetAfter, unappliedEvents, type PartitionBatch, type ProjectionTarget } from './batch';
import { lockOffset, storeOffset } from './offsets';
import { fenceActiveVersion } from './projection-versions';
import { historyDetail } from './history-detail';
import { fromEpochMs, loadStates, toChannelRow, type ChannelRow } from './state-rows';

/** A contact whose channel statuses differ after the batch: what goes to the state topic. */
export interface ChangedContact {
  readonly state: ContactState;
  /** The eventId of the last effective change in the batch. */
  readonly causationId: string;
  /** That event's trace, if it came with one. */
  readonly traceparent?: string;
}

export interface PreferenceBatchOutcome {
  /** Events applied now (new to the history). */
  readonly applied: number;
  /** Events below the stored checkpoint: applied by an earlier transaction. */
  readonly alreadyApplied: number;
  /** Events whose eventId was already in the history (provider retries, replays). */
  readonly duplicates: number;
  readonly changed: readonly ChangedContact[];
}

/** Events a reader cannot apply (an enum symbol newer than this reader); they go to the dead-letter topic. */
export const isApplicable = (event: MarketingPreferenceUpdated): boolean =>
  isKnownChannel(event.channel) && isKnownStatus(event.newStatus);

/**
 * Applies one partition's batch of Marketing Preference Updated events in ONE transaction: history,
 * states, contact versions, outbox and the partition's checkpoint commit together or not at all, so a
 * crash anywhere re-delivers the batch and the checkpoint makes the re-delivery a no-op (rule 2).
 * Statements are per batch, not per event (unnest arrays).
 */
export async function applyPreferenceBatch(
  db: DataSource,
  target: ProjectionTarget,
  batch: PartitionBatch<MarketingPreferenceUpdated>,
): Promise<PreferenceBatchOutcome> {
  return db.transaction('READ COMMITTED', async (tx) => {
    if (target.fenceActiveVersion) await fenceActiveVersion(tx, target.projection, target.version);
    const checkpoint = await lockOffset(tx, target.version, batch.topic, batch.partition);
    const pending = unappliedEvents(batch.events, checkpoint);
    const alreadyApplied = batch.events.length - pending.length;
    const next = nextOffsetAfter(batch, checkpoint);
    if (next === null) return { applied: 0, alreadyApplied, duplicates: 0, changed: [] };

    const events = pending.filter((e) => isApplicable(e.value));
    const seen = await historyContains(
      tx,
      target.version,
      events.map((e) => e.value.eventId),
    );
    const contacts = [...new Set(events.map((e) => e.value.externalId))];
    const states = await loadStates(tx, target.version, contacts);
    const before = new Map(states);

    const fresh: { offset: string; event: MarketingPreferenceUpdated; effect: Effect }[] = [];
    const lastChange = new Map<string, { eventId: string; traceparent?: string }>();
    const updatedAt = new Map<string, number>();
    let duplicates = 0;
    for (const { offset, value: event, traceparent } of events) {
      const alreadySeen = seen.has(event.eventId);
      const evolution = evolve(states.get(event.externalId) ?? null, event, { alreadySeen });
      if (evolution.effect === 'rejected' || evolution.state === null) continue;
      if (evolution.effect === 'duplicate') {
        duplicates += 1;
        continue;
      }
      seen.add(event.eventId);
      states.set(event.externalId, evolution.state);
      fresh.push({ offset, event, effect: evolution.effect });
      updatedAt.set(event.externalId, Math.max(updatedAt.get(event.externalId) ?? 0, event.recordedAt));
      if (evolution.effect === 'changed')
        lastChange.set(event.externalId, { eventId: event.eventId, traceparent });
    }

    await insertHistory(tx, target.version, batch, fresh);
    const touched = [...updatedAt.keys()];
    await upsertChannels(tx, target.version, touched, before, states);
    await upsertContacts(tx, target.version, touched, states, updatedAt);
    const changed = [...lastChange].flatMap(([externalId, cause]): ChangedContact[] => {
      const state = states.get(externalId);
      return state ? [{ state, causationId: cause.eventId, traceparent: cause.traceparent }] : [];
    });
    if (target.useOutbox) await recordOutbox(tx, target.version, batch, changed);
    await storeOffset(tx, target.version, batch.topic, batch.partition, next);
    return { applied: fresh.length, alreadyApplied, duplicates, changed };
  });
}

/**
 * Which eventIds the history already holds. Read first so each row is inserted once, with its effect;
 * the primary key (projection_version, event_id) stays the last word: see `insertHistory`.
 */
export async function historyContains(
  tx: EntityManager,
  version: number,
  eventIds: readonly string[],
  table = 'preferences.history',
): Promise<Set<string>> {
  if (eventIds.length === 0) return new Set();
  const rows: { event_id: string }[] = await tx.query(
    `SELECT event_id FROM ${table} WHERE projection_version = $1 AND event_id = ANY($2::text[])`,
    [version, [...new Set(eventIds)]],
  );
  return new Set(rows.map((r) => r.event_id));
}

/** A history row to insert: the event, where it sits in the log, and what it did when applied. */
export interface HistoryInsert {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly event: MarketingPreferenceUpdated;
  readonly effect: Effect;
}

async function insertHistory(
  tx: EntityManager,
  version: number,
  batch: PartitionBatch<unknown>,
  fresh: readonly { offset: string; event: MarketingPreferenceUpdated; effect: Effect }[],
): Promise<void> {
  const rows = fresh.map((f) => ({ ...f, topic: batch.topic, partition: batch.partition }));
  const inserted = await insertHistoryRows(tx, version, rows, { onConflict: 'skip' });
  // Only a concurrent writer of the same eventId (another partition after a repartition) gets here;
  // rolling back and retrying makes the event a duplicate, which is what it is.
  if (inserted !== fresh.length)
    throw new Error(`history conflict: ${fresh.length - inserted} event(s) were inserted concurrently`);
}

/**
 * One INSERT … SELECT unnest(…) of history rows; returns how many were inserted. `skip`: rows whose
 * eventId is already there are left out (ON CONFLICT DO NOTHING); `fail`: a plain INSERT, which a
 * present eventId aborts with a unique violation (23505) — the cheaper statement when the caller
 * expects no conflict and has a fallback for one (see PreferenceBulkLoader).
 */
export async function insertHistoryRows(
  tx: EntityManager,
  version: number,
  rows: readonly HistoryInsert[],
  options: { readonly onConflict: 'skip' | 'fail'; readonly table?: string },
): Promise<number> {
  if (rows.length === 0) return 0;
  const col = <V>(pick: (f: HistoryInsert) => V): V[] => rows.map(pick);
  const skip = options.onConflict === 'skip';
  const result: unknown = await tx.query(
    `${skip ? 'WITH inserted AS (' : ''}INSERT INTO ${options.table ?? 'preferences.history'}
        (projection_version, event_id, external_id, channel, status,
        occurred_at, recorded_at, source_of_change, source_system, provider_event_ref, causation_id,
        effect, source_topic, source_partition, source_offset, detail)
     SELECT $1, u.event_id, u.external_id, u.channel, u.status, ${fromEpochMs('u.occurred_at')},
        ${fromEpochMs('u.recorded_at')}, u.source_of_change, u.source_system, u.provider_event_ref,
        u.causation_id, u.effect, u.source_topic, u.source_partition, u.source_offset, u.detail::jsonb
       FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::float8[], $7::float8[], $8::text[],
                   $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::int[], $15::bigint[],
                   $16::text[])
         AS u(event_id, external_id, channel, status, occurred_at, recorded_at, source_of_change,
              source_system, provider_event_ref, causation_id, effect, source_topic, source_partition,
              source_offset, detail)
     ${skip ? 'ON CONFLICT DO NOTHING RETURNING 1) SELECT count(*)::int AS n FROM inserted' : ''}`,
    [
      version,
      col((f) => f.event.eventId),
      col((f) => f.event.externalId),
      col((f) => f.event.channel),
      col((f) => f.event.newStatus),
      col((f) => f.event.occurredAt),
      col((f) => f.event.recordedAt),
      col((f) => f.event.sourceOfChange),
      col((f) => f.event.source.system),
      col((f) => f.event.source.providerEventRef),
      col((f) => f.event.causationId),
      col((f) => f.effect),
      col((f) => f.topic),
      col((f) => f.partition),
      col((f) => f.offset),
      col((f) => historyDetail(f.event)),
    ],
  );
  return skip ? Number((result as { n: number }[])[0]?.n ?? 0) : rows.length;
}

async function upsertChannels(
  tx: EntityManager,
  version: number,
  touched: readonly string[],
  before: ReadonlyMap<string, ContactState>,
  after: ReadonlyMap<string, ContactState>,
): Promise<void> {
  // evolve replaces a channel's consent object only when that channel took an event.
  const rows = touched.flatMap((externalId) =>
    CHANNEL_ORDER.flatMap((channel) => {
      const next = after.get(externalId)?.consent[channel];
      const previous = before.get(externalId)?.consent[channel];
      return next && next !== previous ? [toChannelRow(externalId, channel, next)] : [];
    }),
  );
  await writeChannelRows(tx, version, rows);
}

/** Upserts channel_state rows (one statement). */
export async function writeChannelRows(
  tx: EntityManager,
  version: number,
  rows: readonly ChannelRow[],
): Promise<void> {
  if (rows.length === 0) return;
  const col = <V>(pick: (r: ChannelRow) => V): V[] => rows.map(pick);
  await tx.query(
    `INSERT INTO preferences.channel_state (projection_version, external_id, channel, status, occurred_at,
        event_id, source_of_change, source_system, provider_event_ref, consent)
     SELECT $1, u.external_id, u.channel, u.status, ${fromEpochMs('u.occurred_at')}, u.event_id,
        u.source_of_change, u.source_system, u.provider_event_ref, u.consent::jsonb
       FROM unnest($2::text[], $3::text[], $4::text[], $5::float8[], $6::text[], $7::text[], $8::text[], $9::text[],
                   $10::text[])
         AS u(external_id, channel, status, occurred_at, event_id, source_of_change, source_system, provider_event_ref,
              consent)
     ON CONFLICT (projection_version, external_id, channel) DO UPDATE SET
        status = EXCLUDED.status, occurred_at = EXCLUDED.occurred_at, event_id = EXCLUDED.event_id,
        source_of_change = EXCLUDED.source_of_change, source_system = EXCLUDED.source_system,
        provider_event_ref = EXCLUDED.provider_event_ref, consent = EXCLUDED.consent`,
    [
      version,
      col((r) => r.externalId),
      col((r) => r.channel),
      col((r) => r.status),
      col((r) => r.occurredAt),
      col((r) => r.eventId),
      col((r) => r.sourceOfChange),
      col((r) => r.sourceSystem),
      col((r) => r.providerEventRef),
      col((r) => JSON.stringify(r.consent)),
    ],
  );
}

async function upsertContacts(
  tx: EntityManager,
  version: number,
  touched: readonly string[],
  states: ReadonlyMap<string, ContactState>,
  updatedAt: ReadonlyMap<string, number>,
): Promise<void> {
  await writeContactRows(
    tx,
    version,
    touched.map((id) => ({
      externalId: id,
      version: states.get(id)?.version ?? 0,
      updatedAt: updatedAt.get(id) ?? 0,
    })),
  );
}

/**
 * Upserts contacts' `version` and `updated_at` (one statement). updated_at is the log's time (latest
 * recordedAt folded), not the clock — a rebuild must produce identical rows — and only moves forward,
 * so identity events (which also touch it) and preference events commute.
 */
export async function writeContactRows(
  tx: EntityManager,
  version: number,
  rows: readonly { readonly externalId: string; readonly version: number; readonly updatedAt: number }[],
): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO preferences.contacts (projection_version, external_id, version, updated_at)
     SELECT $1, u.external_id, u.version, ${fromEpochMs('u.updated_at')}
       FROM unnest($2::text[], $3::bigint[], $4::float8[]) AS u(external_id, version, updated_at)
     ON CONFLICT (projection_version, external_id) DO UPDATE SET
        version = EXCLUDED.version, updated_at = GREATEST(contacts.updated_at, EXCLUDED.updated_at)`,
    [version, rows.map((r) => r.externalId), rows.map((r) => r.version), rows.map((r) => r.updatedAt)],
  );
}

async function recordOutbox(
  tx: EntityManager,
  version: number,
  batch: PartitionBatch<unknown>,
  changed: readonly ChangedContact[],
): Promise<void> {
  if (changed.length === 0) return;
  await tx.query(
    `INSERT INTO preferences.state_outbox (projection_version, external_id, topic, partition, causation_id, traceparent)
     SELECT $1, u.external_id, $2, $3, u.causation_id, u.traceparent
       FROM unnest($4::text[], $5::text[], $6::text[]) AS u(external_id, causation_id, traceparent)
     ON CONFLICT (projection_version, external_id) DO UPDATE SET
        topic = EXCLUDED.topic, partition = EXCLUDED.partition, causation_id = EXCLUDED.causation_id,
        traceparent = EXCLUDED.traceparent`,
    [
      version,
      batch.topic,
      batch.partition,
      changed.map((c) => c.state.externalId),
      changed.map((c) => c.causationId),
      changed.map((c) => c.traceparent ?? null),
    ],
  );
}
