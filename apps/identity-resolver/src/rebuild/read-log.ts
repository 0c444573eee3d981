import { randomUUID } from 'node:crypto';
import type { AvroCodec } from '@optstream/kafka';
import type { Kafka } from 'kafkajs';

export interface LogSnapshot<T> {
  /** Each partition's decoded events in offset order, up to `ends`. */
  readonly partitions: readonly (readonly T[])[];
  /** The end offset (exclusive) read to, per partition. */
  readonly ends: ReadonlyMap<number, string>;
  readonly records: number;
  readonly undecodable: number;
}

/** Each partition's end offset now: what a rebuild reads to, and what the swap checks again. */
export const endOffsets = async (kafka: Kafka, topic: string): Promise<Map<number, string>> => {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, p.high]));
  } finally {
    await admin.disconnect();
  }
};

/**
 * Reads a topic from its first retained offset up to the end offsets seen at the start, with a
 * throw-away group that commits nothing. Records that cannot be decoded were dead-lettered by whoever
 * consumed them live; they are skipped and counted.
 */
export const readLog = async <T>(
  kafka: Kafka,
  codec: AvroCodec,
  topic: string,
  onProgress: (records: number) => void = () => undefined,
): Promise<LogSnapshot<T>> => {
  const ends = await endOffsets(kafka, topic);
  const admin = kafka.admin();
  await admin.connect();
  const starts = new Map(
    (await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, BigInt(p.low)] as const),
  );
  await admin.disconnect();
  const partitions: T[][] = [...ends.keys()].map(() => []);
  const position = new Map(starts);
  let records = 0;
  let undecodable = 0;
  const done = (): boolean => [...ends].every(([p, end]) => (position.get(p) ?? 0n) >= BigInt(end));
  if (done()) return { partitions, ends, records, undecodable };
  const consumer = kafka.consumer({
    groupId: `identity-rebuild-${randomUUID()}`,
    allowAutoTopicCreation: false,
    maxWaitTimeInMs: 250,
    maxBytes: 50 << 20,
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    let finish: () => void = () => undefined;
    let fail: (error: unknown) => void = () => undefined;
    const finished = new Promise<void>((resolve, reject) => {
      finish = resolve;
      fail = reject;
    });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        try {
          const end = BigInt(ends.get(batch.partition) ?? '0');
          for (const message of batch.messages) {
            if (BigInt(message.offset) >= end) break;
            try {
              partitions[batch.partition]?.push(await codec.decode<T>(message.value));
            } catch {
              undecodable += 1;
            }
            records += 1;
            position.set(batch.partition, BigInt(message.offset) + 1n);
          }
          onProgress(records);
          if (done()) finish();
        } catch (error) {
          fail(error);
        }
      },
    });
    await finished;
  } finally {
    await consumer.disconnect();
  }
  return { partitions, ends, records, undecodable };
};
