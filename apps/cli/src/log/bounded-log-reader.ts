import { randomBytes } from 'node:crypto';
import type { Admin, Kafka } from 'kafkajs';

/** One record as it sits in the log: where, when (the record's Kafka timestamp), and its raw bytes. */
export interface LogRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  /** The Kafka record timestamp (producer CreateTime, ≈ the event's recordedAt), epoch ms. */
  readonly timestamp: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
}

/** Where a read starts: the low watermark, or the first record whose Kafka timestamp is >= `timestamp`. */
export type ReadStart =
  | { readonly kind: 'beginning' }
  | { readonly kind: 'timestamp'; readonly timestamp: number };

export interface PartitionRange {
  readonly partition: number;
  /** First offset read (inclusive). */
  readonly start: bigint;
  /** End offset captured when the read began (exclusive): the read never goes past it. */
  readonly end: bigint;
}

export interface ReadSummary {
  readonly topic: string;
  readonly partitions: readonly PartitionRange[];
  /** Records handed to `onRecord`. */
  readonly read: number;
  /** Records in the whole topic between the low and high watermarks at start (for "how much was skipped"). */
  readonly inTopic: number;
  /** Whether every partition was read from its low watermark (nothing before the read was skipped). */
  readonly fromBeginning: boolean;
}

export interface ReadLogOptions {
  readonly topic: string;
  readonly start: ReadStart;
  /** Called for every record in offset order per partition; partitions may interleave. */
  readonly onRecord: (record: LogRecord) => Promise<void> | void;
  /** Called after each fetched batch with (records read so far, records to read in total). */
  readonly onProgress?: (read: number, total: number) => void;
  /** Consumer group prefix; a fresh random group is used for every read and deleted afterwards. */
  readonly groupPrefix?: string;
}

/**
 * Reads a bounded slice of a topic straight from Kafka: from `start` (offsets-for-times per partition,
 * or the low watermark) up to the end offsets captured BEFORE reading — never "forever", so a read
 * of a live topic terminates, and two reads started at the same time see the same records.
 *
 * KafkaJS has no manual partition assignment, so the read joins a throw-away consumer group (one
 * member gets every partition), seeks each partition, never commits, and deletes the group at the
 * end. Nothing here writes to the log or to any database.
 */
export async function readLogBounded(kafka: Kafka, options: ReadLogOptions): Promise<ReadSummary> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await readWith(kafka, admin, options);
  } finally {
    await admin.disconnect();
  }
}

async function readWith(kafka: Kafka, admin: Admin, options: ReadLogOptions): Promise<ReadSummary> {
  const { topic } = options;
  const partitions = await partitionRanges(admin, topic, options.start);
  const inTopic = partitions.reduce((n, p) => n + Number(p.high - p.low), 0);
  const ranges: PartitionRange[] = partitions.map((p) => ({
    partition: p.partition,
    start: p.start,
    end: p.high,
  }));
  const fromBeginning = partitions.every((p) => p.start <= p.low);
  const total = ranges.reduce((n, r) => n + Number(r.end > r.start ? r.end - r.start : 0n), 0);
  const pending = new Set(ranges.filter((r) => r.end > r.start).map((r) => r.partition));
  let read = 0;
  const summary = (): ReadSummary => ({ topic, partitions: ranges, read, inTopic, fromBeginning });
  if (pending.size === 0) {
    options.onProgress?.(0, 0);
    return summary();
  }

  const groupId = `${options.groupPrefix ?? 'optstream-cli'}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
  const consumer = kafka.consumer({
    groupId,
    allowAutoTopicCreation: false,
    maxWaitTimeInMs: 250,
    maxBytes: 50 << 20,
    maxBytesPerPartition: 10 << 20,
  });
  const byPartition = new Map(ranges.map((r) => [r.partition, r]));
  const positions = new Map<number, bigint>();
  let failure: unknown = null;
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finish = resolve));

  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, heartbeat, resolveOffset }) => {
        try {
          const range = byPartition.get(batch.partition);
          if (!range || !pending.has(batch.partition)) return;
          let position = positions.get(batch.partition) ?? range.start;
          for (const message of batch.messages) {
            const offset = BigInt(message.offset);
            if (offset < position) continue; // a re-fetch of what was already handed over
            if (offset >= range.end) break;
            await options.onRecord({
              topic,
              partition: batch.partition,
              offset: message.offset,
              timestamp: Number(message.timestamp),
              key: message.key ?? null,
              value: message.value ?? null,
            });
            read += 1;
            position = offset + 1n;
            resolveOffset(message.offset);
          }
          positions.set(batch.partition, position);
          options.onProgress?.(read, total);
          // A partition is done once it reached the end captured at start. (The preference and
          // identity topics are neither compacted nor transactional: no offset gaps to wait across.)
          if (position >= range.end) {
            pending.delete(batch.partition);
            consumer.pause([{ topic, partitions: [batch.partition] }]);
            if (pending.size === 0) finish();
          }
          await heartbeat();
        } catch (error) {
          failure = error;
          finish();
        }
      },
    });
    for (const range of ranges)
      if (pending.has(range.partition))
        consumer.seek({ topic, partition: range.partition, offset: range.start.toString() });
    await done;
  } finally {
    await consumer.disconnect();
    // Best effort: an empty group without offsets also expires on its own.
    await admin.deleteGroups([groupId]).catch(() => undefined);
  }
  if (failure !== null) throw failure;
  return summary();
}

interface PartitionWatermarks {
  readonly partition: number;
  readonly low: bigint;
  readonly high: bigint;
  readonly start: bigint;
}

async function partitionRanges(
  admin: Admin,
  topic: string,
  start: ReadStart,
): Promise<PartitionWatermarks[]> {
  const watermarks = await admin.fetchTopicOffsets(topic);
  // offsets-for-times: the earliest offset whose record timestamp is >= the time (the high
  // watermark when there is none).
  const byTime =
    start.kind === 'timestamp' ? await admin.fetchTopicOffsetsByTimestamp(topic, start.timestamp) : [];
  return watermarks
    .map((w) => {
      const low = BigInt(w.low);
      const high = BigInt(w.high);
      const seek = byTime.find((t) => t.partition === w.partition);
      const at = seek && BigInt(seek.offset) >= 0n ? BigInt(seek.offset) : low;
      return { partition: w.partition, low, high, start: at < low ? low : at > high ? high : at };
    })
    .sort((a, b) => a.partition - b.partition);
}
