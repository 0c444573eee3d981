import { randomBytes } from 'node:crypto';
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';

/** A fresh consumer group id for one read: `<prefix>-<time>-<random>`. */
export function readerGroupId(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

export interface ReaderOptions {
  readonly topics: readonly string[];
  /** A group of the reader's own (`readerGroupId`); deleted when the reader stops. */
  readonly groupId: string;
  /** Where partitions start; every other partition starts at its earliest retained record. */
  readonly positions?: readonly {
    readonly topic: string;
    readonly partition: number;
    readonly offset: string;
  }[];
  /**
   * Each fetched batch. Resolve what was handed over (`resolveOffset`): the next fetch of the partition
   * starts after the last resolved offset. Nothing is ever committed.
   */
  readonly eachBatch: (payload: EachBatchPayload) => Promise<void>;
  /** Upper bound of an idle fetch (how soon a new record or a stop is noticed); default 250 ms. */
  readonly maxWaitTimeInMs?: number;
  /** Bytes per partition per fetch (KafkaJS default 1 MiB); larger for bulk reads. */
  readonly maxBytesPerPartition?: number;
}

export interface Reader {
  /** For pausing and resuming partitions. */
  readonly consumer: Consumer;
  /** Leaves and deletes the reader's group (best effort: an empty group expires on its own). */
  stop(): Promise<void>;
}

/**
 * Reads topics on behalf of a tool (the CLI, a rebuild, a test), outside every service's group. KafkaJS
 * has no manual partition assignment, so a reader joins a group of its own (its one member gets every
 * partition), seeks where it was told, never commits, and deletes the group when it stops. Nothing here
 * writes to the log.
 */
export async function openReader(kafka: Kafka, options: ReaderOptions): Promise<Reader> {
  const consumer = kafka.consumer({
    groupId: options.groupId,
    allowAutoTopicCreation: false,
    maxWaitTimeInMs: options.maxWaitTimeInMs ?? 250,
    maxBytes: 50 << 20,
    ...(options.maxBytesPerPartition === undefined
      ? {}
      : { maxBytesPerPartition: options.maxBytesPerPartition }),
  });
  const stop = async (): Promise<void> => {
    await consumer.disconnect();
    const admin = kafka.admin();
    try {
      await admin.connect();
      await admin.deleteGroups([options.groupId]);
    } catch {
      // Best effort, see `stop`.
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  };
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [...options.topics], fromBeginning: true });
    await consumer.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch: options.eachBatch });
    for (const { topic, partition, offset } of options.positions ?? [])
      consumer.seek({ topic, partition, offset });
  } catch (error) {
    await stop();
    throw error;
  }
  return { consumer, stop };
}
