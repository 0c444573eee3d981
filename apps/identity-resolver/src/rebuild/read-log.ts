import { decodeRecord, readLogBounded, type AvroCodec } from '@optstream/kafka';
import type { Kafka } from 'kafkajs';

export interface LogSnapshot<T> {
  /** Each partition's decoded events in offset order, up to `ends`. */
  readonly partitions: readonly (readonly T[])[];
  /** The end offset (exclusive) read to, per partition. */
  readonly ends: ReadonlyMap<number, string>;
  readonly records: number;
  readonly undecodable: number;
}

/**
 * Reads a topic from its first retained offset up to the end offsets seen at the start (a bounded read
 * of its own, committing nothing). Records that cannot be decoded were dead-lettered by whoever consumed
 * them live; they are skipped and counted. A registry outage fails the read (`decodeRecord`).
 */
export const readLog = async <T>(
  kafka: Kafka,
  codec: AvroCodec,
  topic: string,
  onProgress: (records: number) => void = () => undefined,
): Promise<LogSnapshot<T>> => {
  const decoded = new Map<number, T[]>();
  let undecodable = 0;
  const summary = await readLogBounded(kafka, {
    topic,
    start: { kind: 'beginning' },
    groupPrefix: 'identity-rebuild',
    onProgress: (read) => onProgress(read),
    onRecord: async (record) => {
      const event = await decodeRecord<T>(codec, record.value);
      if (!event.ok) return void (undecodable += 1);
      const partition = decoded.get(record.partition) ?? [];
      partition.push(event.value);
      decoded.set(record.partition, partition);
    },
  });
  return {
    partitions: summary.partitions.map((p) => decoded.get(p.partition) ?? []),
    ends: new Map(summary.partitions.map((p) => [p.partition, p.end.toString()])),
    records: summary.read,
    undecodable,
  };
};
