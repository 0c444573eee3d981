import type { IdentityEvent, MarketingPreferenceUpdated } from '@optstream/contracts';
import { decodeRecord, openReader, type AvroCodec, type Reader } from '@optstream/kafka';
import {
  applyIdentityBatch,
  isApplicable,
  PreferenceBulkLoader,
  type BulkLoadOptions,
  type PositionedEvent,
  type ProjectionTarget,
} from '@optstream/preferences-data-access';
import type { EachBatchPayload, Kafka } from 'kafkajs';
import type { DataSource } from 'typeorm';

export type Offsets = ReadonlyMap<string, bigint>;
export const partitionKey = (topic: string, partition: number): string => `${topic}\u0000${partition}`;
const splitKey = (key: string): { topic: string; partition: number } => {
  const [topic = '', partition = '0'] = key.split('\u0000');
  return { topic, partition: Number(partition) };
};

/** A fetched, decoded partition batch waiting for the writer. */
interface Queued {
  readonly topic: string;
  readonly partition: number;
  readonly events: readonly PositionedEvent<unknown>[];
  readonly lastOffset: string;
  /** Records the batch covers (decoded or not): what `applied` counts. */
  readonly records: number;
}

export interface ReplayerOptions {
  /** Records fetched and decoded ahead of the writer (back-pressure on the consumer), default 60,000. */
  readonly maxQueuedRecords?: number;
  /** Records per write transaction (several partitions' batches at once), default 20,000. */
  readonly maxTransactionRecords?: number;
  readonly bulk?: BulkLoadOptions;
}

/**
 * Replays the log into a (non-active) projection version up to per-partition target offsets that can
 * be raised while it runs. A partition whose fetch position reached its target is paused, so nothing
 * past a target is ever applied.
 *
 * Fetching + decoding and writing overlap: the KafkaJS `eachBatch` decodes and queues (bounded), a
 * single writer loop drains the queue, putting consecutive preference batches of any partitions into
 * one transaction (`PreferenceBulkLoader`: same rows as the live `applyPreferenceBatch`, see there).
 * identity.v1 batches go through the live projector's `applyIdentityBatch`, in queue order. `flush`
 * writes the contact states the loader still holds; `rebuildProjection` calls it before the swap.
 */
export class LogReplayer {
  private reader: Reader | null = null;
  /** Next offset to apply per partition (what is committed in the version). */
  private readonly positions = new Map<string, bigint>();
  /** Next offset to fetch per partition (what has been queued). */
  private readonly fetched = new Map<string, bigint>();
  private targets: Offsets = new Map();
  private waiters: (() => void)[] = [];
  private failure: unknown = null;
  private readonly queue: Queued[] = [];
  private queuedRecords = 0;
  private writing = false;
  private readonly loader: PreferenceBulkLoader;
  private readonly maxQueued: number;
  private readonly maxTransaction: number;
  applied = 0;

  constructor(
    private readonly kafka: Kafka,
    private readonly codec: AvroCodec,
    private readonly db: DataSource,
    private readonly target: ProjectionTarget,
    private readonly topics: { readonly preferences: string; readonly identity: string },
    private readonly groupId: string,
    private readonly onProgress: (applied: number) => void = () => undefined,
    options: ReplayerOptions = {},
  ) {
    this.loader = new PreferenceBulkLoader(db, target.version, options.bulk);
    this.maxQueued = options.maxQueuedRecords ?? 60_000;
    this.maxTransaction = options.maxTransactionRecords ?? 20_000;
  }

  /** `starts`: each partition's first offset (low watermark), so an empty partition counts as done. */
  async start(starts: Offsets, targets: Offsets): Promise<void> {
    for (const [key, offset] of starts) {
      this.positions.set(key, offset);
      this.fetched.set(key, offset);
    }
    this.targets = targets;
    this.reader = await openReader(this.kafka, {
      topics: [this.topics.preferences, this.topics.identity],
      groupId: this.groupId,
      maxBytesPerPartition: 2 << 20,
      eachBatch: (payload) => this.onBatch(payload).catch((error: unknown) => this.fail(error)),
    });
  }

  /** Raises the targets (they never go down) and resumes the partitions that are behind again. */
  raiseTargets(targets: Offsets): void {
    const merged = new Map(this.targets);
    for (const [key, offset] of targets) if (offset > (merged.get(key) ?? 0n)) merged.set(key, offset);
    this.targets = merged;
    for (const [key, offset] of merged) {
      if ((this.fetched.get(key) ?? 0n) >= offset) continue;
      const { topic, partition } = splitKey(key);
      this.reader?.consumer.resume([{ topic, partitions: [partition] }]);
    }
    this.notify();
  }

  /** Total records up to the targets, from the starts: the progress bar's 100 %. */
  remaining(): bigint {
    let total = 0n;
    for (const [key, target] of this.targets) {
      const at = this.positions.get(key) ?? 0n;
      if (target > at) total += target - at;
    }
    return total;
  }

  caughtUp(): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.failure !== null) reject(this.failure);
        else if (this.remaining() === 0n) resolve();
        else this.waiters.push(check);
      };
      check();
    });
  }

  /** Writes the contact states the bulk loader still holds in memory (call when caught up). */
  async flush(): Promise<void> {
    if (this.failure !== null) throw this.failure;
    await this.loader.flush();
  }

  /** Transactions that met a log duplicate of an earlier one and were re-applied with the pre-read. */
  get exactRetries(): number {
    return this.loader.exactRetries;
  }

  async stop(): Promise<void> {
    await this.reader?.stop();
  }

  private async onBatch({ batch, resolveOffset, heartbeat, pause }: EachBatchPayload): Promise<void> {
    const { topic, partition } = batch;
    const key = partitionKey(topic, partition);
    const target = this.targets.get(key) ?? 0n;
    const messages = batch.messages.filter((m) => BigInt(m.offset) < target);
    const last = messages[messages.length - 1];
    if (!last || this.failure !== null) {
      pause();
      return;
    }
    const events: PositionedEvent<unknown>[] = [];
    for (const message of messages) {
      // Undecodable records were dead-lettered by the live projector; a rebuild skips them. A registry
      // outage is not such a record: decodeRecord throws, and the rebuild fails rather than miss it.
      const decoded = await decodeRecord<unknown>(this.codec, message.value);
      if (decoded.ok) events.push({ offset: message.offset, value: decoded.value });
    }
    const applicable =
      topic === this.topics.preferences
        ? (events as PositionedEvent<MarketingPreferenceUpdated>[]).filter((e) => isApplicable(e.value))
        : events;
    const position = BigInt(last.offset) + 1n;
    if (position > (this.fetched.get(key) ?? 0n)) this.fetched.set(key, position);
    this.queue.push({
      topic,
      partition,
      events: applicable,
      lastOffset: last.offset,
      records: messages.length,
    });
    this.queuedRecords += messages.length;
    resolveOffset(last.offset);
    if (position >= target) pause();
    void this.drain();
    // Back-pressure: wait for the writer, heartbeating at least every 3 s meanwhile (a long flush must
    // not cost the group its session).
    while (this.queuedRecords > this.maxQueued && this.failure === null) {
      await heartbeat();
      await this.nextChange(3_000);
    }
    await heartbeat();
  }

  /** The single writer: drains the queue in order, several preference batches per transaction. */
  private async drain(): Promise<void> {
    if (this.writing) return;
    this.writing = true;
    try {
      while (this.queue.length > 0 && this.failure === null) {
        const group = this.nextGroup();
        const first = group[0];
        if (!first) break;
        if (first.topic === this.topics.preferences)
          await this.loader.apply(
            group.map((q) => ({
              topic: q.topic,
              partition: q.partition,
              events: q.events as PositionedEvent<MarketingPreferenceUpdated>[],
              lastOffset: q.lastOffset,
            })),
          );
        else
          await applyIdentityBatch(this.db, this.target, {
            topic: first.topic,
            partition: first.partition,
            events: first.events as PositionedEvent<IdentityEvent>[],
            lastOffset: first.lastOffset,
          });
        for (const q of group) {
          const key = partitionKey(q.topic, q.partition);
          const position = BigInt(q.lastOffset) + 1n;
          if (position > (this.positions.get(key) ?? 0n)) this.positions.set(key, position);
          this.applied += q.records;
          this.queuedRecords -= q.records;
        }
        this.onProgress(this.applied);
        this.notify();
      }
    } catch (error) {
      this.fail(error);
    } finally {
      this.writing = false;
    }
  }

  /** The queue's head: consecutive preference batches up to the transaction size, or one identity batch. */
  private nextGroup(): Queued[] {
    const head = this.queue[0];
    if (!head) return [];
    if (head.topic !== this.topics.preferences) return this.queue.splice(0, 1);
    let n = 0;
    let records = 0;
    for (const q of this.queue) {
      if (q.topic !== this.topics.preferences || (n > 0 && records + q.records > this.maxTransaction)) break;
      n += 1;
      records += q.records;
    }
    return this.queue.splice(0, n);
  }

  /** Resolves at the writer's next progress (or failure), or after `maxMs` at the latest. */
  private nextChange(maxMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, maxMs);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private fail(error: unknown): void {
    this.failure = error;
    this.notify();
  }

  private notify(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const check of waiting) check();
  }
}
