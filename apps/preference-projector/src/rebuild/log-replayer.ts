import type { IdentityEvent, MarketingPreferenceUpdated } from '@optstream/contracts';
import type { AvroCodec } from '@optstream/kafka';
import {
  applyIdentityBatch,
  applyPreferenceBatch,
  isApplicable,
  type PositionedEvent,
  type ProjectionTarget,
} from '@optstream/preferences-data-access';
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { DataSource } from 'typeorm';

export type Offsets = ReadonlyMap<string, bigint>;
export const partitionKey = (topic: string, partition: number): string => `${topic}\u0000${partition}`;
const splitKey = (key: string): { topic: string; partition: number } => {
  const [topic = '', partition = '0'] = key.split('\u0000');
  return { topic, partition: Number(partition) };
};

/**
 * Replays the log into a (non-active) projection version with the SAME batch functions the live
 * projector uses, up to per-partition target offsets that can be raised while it runs. A partition
 * that reached its target is paused, so nothing past a target is ever applied.
 */
export class LogReplayer {
  private readonly consumer: Consumer;
  private readonly positions = new Map<string, bigint>();
  private targets: Offsets = new Map();
  private waiters: (() => void)[] = [];
  private failure: unknown = null;
  applied = 0;

  constructor(
    kafka: Kafka,
    private readonly codec: AvroCodec,
    private readonly db: DataSource,
    private readonly target: ProjectionTarget,
    private readonly topics: { readonly preferences: string; readonly identity: string },
    groupId: string,
    private readonly onProgress: (applied: number) => void = () => undefined,
  ) {
    this.consumer = kafka.consumer({
      groupId,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: 250,
      maxBytes: 50 << 20,
    });
  }

  /** `starts`: each partition's first offset (low watermark), so an empty partition counts as done. */
  async start(starts: Offsets, targets: Offsets): Promise<void> {
    for (const [key, offset] of starts) this.positions.set(key, offset);
    this.targets = targets;
    await this.consumer.connect();
    await this.consumer.subscribe({
      topics: [this.topics.preferences, this.topics.identity],
      fromBeginning: true,
    });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: (payload) => this.onBatch(payload).catch((error: unknown) => this.fail(error)),
    });
  }

  /** Raises the targets (they never go down) and resumes the partitions that are behind again. */
  raiseTargets(targets: Offsets): void {
    const merged = new Map(this.targets);
    for (const [key, offset] of targets) if (offset > (merged.get(key) ?? 0n)) merged.set(key, offset);
    this.targets = merged;
    for (const [key, offset] of merged) {
      if ((this.positions.get(key) ?? 0n) >= offset) continue;
      const { topic, partition } = splitKey(key);
      this.consumer.resume([{ topic, partitions: [partition] }]);
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

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }

  private async onBatch({ batch, resolveOffset, heartbeat }: EachBatchPayload): Promise<void> {
    const { topic, partition } = batch;
    const key = partitionKey(topic, partition);
    const target = this.targets.get(key) ?? 0n;
    const messages = batch.messages.filter((m) => BigInt(m.offset) < target);
    const last = messages[messages.length - 1];
    if (!last) {
      this.consumer.pause([{ topic, partitions: [partition] }]);
      return;
    }
    const events: PositionedEvent<unknown>[] = [];
    for (const message of messages) {
      try {
        events.push({ offset: message.offset, value: await this.codec.decode<unknown>(message.value) });
      } catch {
        // Undecodable records were dead-lettered by the live projector; a rebuild skips them the same way.
      }
    }
    if (topic === this.topics.preferences) {
      const typed = (events as PositionedEvent<MarketingPreferenceUpdated>[]).filter((e) =>
        isApplicable(e.value),
      );
      await applyPreferenceBatch(this.db, this.target, {
        topic,
        partition,
        events: typed,
        lastOffset: last.offset,
      });
    } else {
      const typed = events as PositionedEvent<IdentityEvent>[];
      await applyIdentityBatch(this.db, this.target, {
        topic,
        partition,
        events: typed,
        lastOffset: last.offset,
      });
    }
    const position = BigInt(last.offset) + 1n;
    this.positions.set(key, position);
    this.applied += messages.length;
    this.onProgress(this.applied);
    resolveOffset(last.offset);
    await heartbeat();
    if (position >= target) this.consumer.pause([{ topic, partitions: [partition] }]);
    this.notify();
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
