import type { Admin, Kafka } from 'kafkajs';
import { openReader, readerGroupId } from './reader';

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
  /** Consumer group prefix; a fresh group is used for every read and deleted afterwards (`openReader`). */
  readonly groupPrefix: string;
}

/**
 * Reads a bounded slice of a topic straight from Kafka: from `start` (offsets-for-times per partition,
 * or the low watermark) up to the end offsets captured BEFORE reading — never "forever", so a read
 * of a live topic terminates, and two reads started at the same time see the same records. A reader of
 * its own (`openReader`): nothing is committed, nothing written.
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

  const byPartition = new Map(ranges.map((r) => [r.partition, r]));
  const positions = new Map<number, bigint>();
  let failure: unknown = null;
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finish = resolve));

  const reader = await openReader(kafka, {
    topics: [topic],
    groupId: readerGroupId(options.groupPrefix),
    maxBytesPerPartition: 10 << 20,
    positions: ranges
      .filter((r) => pending.has(r.partition))
      .map((r) => ({ topic, partition: r.partition, offset: r.start.toString() })),
    eachBatch: async ({ batch, heartbeat, resolveOffset, pause }) => {
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
          pause();
          if (pending.size === 0) finish();
        }
        await heartbeat();
      } catch (error) {
        failure = error;
        finish();
      }
    },
  });
  try {
    await done;
  } finally {
    await reader.stop();
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

/** Each partition's end offset now (exclusive): what a rebuild reads to, and what its swap checks again. */
export async function endOffsets(kafka: Kafka, topic: string): Promise<Map<number, string>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, p.high]));
  } finally {
    await admin.disconnect();
  }
}
