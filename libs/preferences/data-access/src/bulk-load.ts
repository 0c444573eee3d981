import type { MarketingPreferenceUpdated } from '@optstream/contracts';
import { CHANNEL_ORDER, evolve, type ContactState } from '@optstream/preferences-domain';
import type { DataSource, EntityManager } from 'typeorm';
import { nextOffsetAfter, unappliedEvents, type PartitionBatch } from './batch';
import {
  historyContains,
  insertHistoryRows,
  isApplicable,
  writeChannelRows,
  writeContactRows,
  type HistoryInsert,
} from './preference-batch';
import { canCopyHistory, copyableMs, copyChannelRows, copyHistoryRows } from './copy-rows';
import { versionTable } from './projection-versions';
import { loadStates, toChannelRow, type ChannelRow } from './state-rows';

export interface BulkLoadOptions {
  /**
   * Contacts whose state stays in memory (default 500,000). Past it the written states are dropped
   * from memory and re-read from the tables on demand: slower, same result.
   */
  readonly maxCachedContacts?: number;
  /** Contacts with unwritten state that trigger writing them (default 200,000). */
  readonly maxDirtyContacts?: number;
}

export interface BulkLoadOutcome {
  readonly applied: number;
  readonly alreadyApplied: number;
  readonly duplicates: number;
}

const FLUSH_CHUNK = 20_000;
const UNIQUE_VIOLATION = '23505';

/**
 * The rebuild's writer of Marketing Preference Updated events into a FRESH, not yet active projection
 * version. It produces exactly the rows `applyPreferenceBatch` produces (same domain `evolve`, same
 * per-partition offset order, same SQL for the rows), but much faster, because the rebuild is the only
 * writer of that version until the swap:
 *
 * - Contact states live in memory (they are only ever written by this loader), so no batch reads
 *   channel_state/contacts back; channel_state and contacts rows are written once per contact per
 *   `flush`, not once per event — a contact with 10 events costs 1 upsert instead of 10.
 * - The history pre-read is optimistic: duplicates inside a transaction collapse in memory, and the
 *   history rows go in with a plain INSERT, no `ON CONFLICT`, on the primary key of which
 *   (projection_version, event_id) is the proof that no eventId was there before. A log duplicate of an
 *   event applied by an EARLIER transaction makes it fail (unique violation): that transaction is
 *   rolled back, nothing in memory has changed, and the same batches are applied again the exact way —
 *   with the pre-read, as the live projector does (rare: provider retries).
 * - Several partitions' batches go into one transaction (one statement per table), with
 *   synchronous_commit off (see `relaxDurability`).
 *
 * The checkpoints are stored with each transaction, so a redelivered batch is still a no-op. The
 * channel_state/contacts rows are NOT in step with them until `flush` — which is why this writer is
 * for a version nobody reads: `rebuildProjection` flushes before the swap commits. A rebuild that dies
 * leaves an inactive, incomplete version (as before); the next rebuild allocates a new one.
 */
export class PreferenceBulkLoader {
  private readonly states = new Map<string, ContactState>();
  /** Every state of the version is in `states` (nothing evicted yet): a miss means "no state". */
  private complete = true;
  /** Contacts whose state is newer than their rows → the latest recordedAt folded since their last write. */
  private readonly dirty = new Map<string, number>();
  /** Contacts whose channel rows exist (tracked while `complete`): the others' rows can be COPYed. */
  private readonly persisted = new Set<string>();
  private readonly channelTable: string;
  private readonly maxCached: number;
  private readonly maxDirty: number;
  private readonly history: string;
  /** Transactions that hit a log duplicate of an earlier transaction and were applied the exact way. */
  exactRetries = 0;

  constructor(
    private readonly db: DataSource,
    readonly version: number,
    options: BulkLoadOptions = {},
  ) {
    this.maxCached = options.maxCachedContacts ?? 500_000;
    this.maxDirty = Math.min(options.maxDirtyContacts ?? 200_000, this.maxCached);
    // The version's own partition: addressed directly, it can also be a table not attached yet.
    this.history = versionTable('history', version);
    this.channelTable = versionTable('channel_state', version);
  }

  /** Applies partition batches (any partitions, each in offset order) in one transaction. */
  async apply(batches: readonly PartitionBatch<MarketingPreferenceUpdated>[]): Promise<BulkLoadOutcome> {
    const merged = mergeByPartition(batches);
    let outcome: BulkLoadOutcome;
    try {
      outcome = await this.applyOnce(merged, false);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      this.exactRetries += 1;
      outcome = await this.applyOnce(merged, true);
    }
    if (this.dirty.size >= this.maxDirty) await this.flush();
    if (this.states.size > this.maxCached) {
      await this.flush();
      this.states.clear();
      this.persisted.clear();
      this.complete = false;
    }
    return outcome;
  }

  /** Writes the channel_state and contacts rows of every contact whose state changed since the last flush. */
  async flush(): Promise<void> {
    while (this.dirty.size > 0) {
      const chunk = [...take(this.dirty.keys(), FLUSH_CHUNK)];
      // Rows of contacts written for the first time cannot conflict (only this loader writes the
      // version's channel_state): COPY. The others are upserted.
      const fresh: ChannelRow[] = [];
      const again: ChannelRow[] = [];
      const contacts: { externalId: string; version: number; updatedAt: number }[] = [];
      for (const externalId of chunk) {
        const state = this.states.get(externalId);
        if (!state) throw new Error(`bulk load: no state in memory for dirty contact ${externalId}`);
        const first = this.complete && !this.persisted.has(externalId);
        for (const channel of CHANNEL_ORDER) {
          const consent = state.consent[channel];
          if (consent === undefined) continue;
          const row = toChannelRow(externalId, channel, consent);
          (first && copyableMs(row.occurredAt) ? fresh : again).push(row);
        }
        contacts.push({ externalId, version: state.version, updatedAt: this.dirty.get(externalId) ?? 0 });
      }
      await this.db.transaction('READ COMMITTED', async (tx) => {
        await relaxDurability(tx);
        await copyChannelRows(tx, this.version, this.channelTable, fresh);
        await writeChannelRows(tx, this.version, again);
        // Identity events may have created the contact rows: always an upsert.
        await writeContactRows(tx, this.version, contacts);
      });
      if (this.complete) for (const externalId of chunk) this.persisted.add(externalId);
      for (const externalId of chunk) this.dirty.delete(externalId);
    }
  }

  private async applyOnce(
    batches: readonly PartitionBatch<MarketingPreferenceUpdated>[],
    exact: boolean,
  ): Promise<BulkLoadOutcome> {
    const after = new Map<string, ContactState>();
    const updatedAt = new Map<string, number>();
    const outcome = await this.db.transaction('READ COMMITTED', async (tx): Promise<BulkLoadOutcome> => {
      await relaxDurability(tx);
      const checkpoints = await lockOffsets(tx, this.version, batches);
      let alreadyApplied = 0;
      const next: { topic: string; partition: number; offset: bigint }[] = [];
      const work: { topic: string; partition: number; offset: string; event: MarketingPreferenceUpdated }[] =
        [];
      for (const batch of batches) {
        const checkpoint = checkpoints.get(key(batch.topic, batch.partition)) ?? 0n;
        const pending = unappliedEvents(batch.events, checkpoint);
        alreadyApplied += batch.events.length - pending.length;
        const offset = nextOffsetAfter(batch, checkpoint);
        if (offset === null) continue;
        next.push({ topic: batch.topic, partition: batch.partition, offset });
        for (const { offset: at, value } of pending)
          if (isApplicable(value))
            work.push({ topic: batch.topic, partition: batch.partition, offset: at, event: value });
      }
      if (next.length === 0) return { applied: 0, alreadyApplied, duplicates: 0 };

      if (!this.complete) {
        const missing = [...new Set(work.map((w) => w.event.externalId))].filter(
          (id) => !this.states.has(id),
        );
        // Rows of evicted contacts were flushed before eviction: the tables are current for them.
        for (const [id, state] of await loadStates(tx, this.version, missing)) this.states.set(id, state);
      }
      const seen = exact
        ? await historyContains(
            tx,
            this.version,
            work.map((w) => w.event.eventId),
            this.history,
          )
        : new Set<string>();
      // Folded into scratch maps: memory only changes once the transaction has committed.
      const rows: HistoryInsert[] = [];
      let duplicates = 0;
      for (const w of work) {
        const { event } = w;
        const current = after.get(event.externalId) ?? this.states.get(event.externalId) ?? null;
        const evolution = evolve(current, event, { alreadySeen: seen.has(event.eventId) });
        if (evolution.effect === 'rejected' || evolution.state === null) continue;
        if (evolution.effect === 'duplicate') {
          duplicates += 1;
          continue;
        }
        seen.add(event.eventId);
        after.set(event.externalId, evolution.state);
        rows.push({ ...w, effect: evolution.effect });
        updatedAt.set(event.externalId, Math.max(updatedAt.get(event.externalId) ?? 0, event.recordedAt));
      }
      const inserted =
        !exact && canCopyHistory(rows)
          ? (await copyHistoryRows(tx, this.version, this.history, rows), rows.length)
          : await insertHistoryRows(tx, this.version, rows, {
              onConflict: exact ? 'skip' : 'fail',
              table: this.history,
            });
      if (inserted !== rows.length)
        throw new Error(`history conflict: ${rows.length - inserted} event(s) were inserted concurrently`);
      await storeOffsets(tx, this.version, next);
      return { applied: rows.length, alreadyApplied, duplicates };
    });
    for (const [id, state] of after) this.states.set(id, state);
    for (const [id, at] of updatedAt) this.dirty.set(id, Math.max(this.dirty.get(id) ?? 0, at));
    return outcome;
  }
}

/**
 * `SET LOCAL synchronous_commit = off` for a rebuild transaction: COMMIT returns before its WAL is on
 * disk. Safe here, and only here: a crash can lose the last few hundred milliseconds of commits, but
 * only of a version that is not active (a rebuild that dies is re-run into a new version), and the
 * swap that activates it is a normal synchronous commit, whose WAL flush also flushes every earlier
 * WAL record — so once the swap is durable, everything it activates is too. Never used by live batches.
 */
export async function relaxDurability(tx: EntityManager): Promise<void> {
  await tx.query(`SELECT set_config('synchronous_commit', 'off', true)`);
}

const key = (topic: string, partition: number): string => `${topic}\u0000${partition}`;

/** Consecutive batches of one partition become one (still in offset order). */
function mergeByPartition<T>(batches: readonly PartitionBatch<T>[]): PartitionBatch<T>[] {
  const merged = new Map<string, PartitionBatch<T>>();
  for (const batch of batches) {
    const k = key(batch.topic, batch.partition);
    const before = merged.get(k);
    if (!before) {
      merged.set(k, batch);
      continue;
    }
    const lastOffset = [
      before.lastOffset,
      before.events[before.events.length - 1]?.offset,
      batch.lastOffset,
      batch.events[batch.events.length - 1]?.offset,
    ]
      .filter((o): o is string => o !== undefined)
      .reduce((a, b) => (BigInt(a) > BigInt(b) ? a : b), '-1');
    // A redelivered batch (after a rebalance) repeats offsets: keep each offset once, in order.
    const tail = before.events[before.events.length - 1]?.offset;
    const events =
      tail === undefined ? batch.events : batch.events.filter((e) => BigInt(e.offset) > BigInt(tail));
    merged.set(k, {
      topic: batch.topic,
      partition: batch.partition,
      events: [...before.events, ...events],
      ...(lastOffset === '-1' ? {} : { lastOffset }),
    });
  }
  return [...merged.values()];
}

/** The checkpoints of all the batches' partitions, locked for the transaction (see `lockOffset`). */
async function lockOffsets(
  tx: EntityManager,
  version: number,
  batches: readonly PartitionBatch<unknown>[],
): Promise<Map<string, bigint>> {
  const topics = batches.map((b) => b.topic);
  const partitions = batches.map((b) => b.partition);
  await tx.query(
    `INSERT INTO preferences.consumer_offsets (projection_version, topic, partition, next_offset)
     SELECT $1, u.topic, u.partition, 0 FROM unnest($2::text[], $3::int[]) AS u(topic, partition)
     ON CONFLICT DO NOTHING`,
    [version, topics, partitions],
  );
  const rows: { topic: string; partition: number; next_offset: string }[] = await tx.query(
    `SELECT o.topic, o.partition, o.next_offset FROM preferences.consumer_offsets o
       JOIN unnest($2::text[], $3::int[]) AS u(topic, partition) ON (o.topic, o.partition) = (u.topic, u.partition)
      WHERE o.projection_version = $1
      ORDER BY o.topic, o.partition
        FOR UPDATE OF o`,
    [version, topics, partitions],
  );
  return new Map(rows.map((r) => [key(r.topic, r.partition), BigInt(r.next_offset)]));
}

async function storeOffsets(
  tx: EntityManager,
  version: number,
  next: readonly { topic: string; partition: number; offset: bigint }[],
): Promise<void> {
  await tx.query(
    `UPDATE preferences.consumer_offsets o SET next_offset = u.next_offset, updated_at = now()
       FROM unnest($2::text[], $3::int[], $4::bigint[]) AS u(topic, partition, next_offset)
      WHERE o.projection_version = $1 AND (o.topic, o.partition) = (u.topic, u.partition)`,
    [version, next.map((n) => n.topic), next.map((n) => n.partition), next.map((n) => n.offset.toString())],
  );
}

function* take<T>(values: Iterable<T>, n: number): Generator<T> {
  let i = 0;
  for (const v of values) {
    if (i++ >= n) return;
    yield v;
  }
}

const isUniqueViolation = (error: unknown): boolean =>
  typeof error === 'object' &&
  error !== null &&
  ((error as { code?: unknown }).code === UNIQUE_VIOLATION ||
    (error as { driverError?: { code?: unknown } }).driverError?.code === UNIQUE_VIOLATION);
