import {
  decodeRecord,
  errorMessage,
  readLogBounded,
  type AvroCodec,
  type LogRecord,
  type ReadSummary,
} from '@optstream/kafka';
import type { Kafka } from 'kafkajs';
import { isDeadLetter, selects, selectsPosition, type LetterAt, type LetterFilter } from './letter-filter';

export interface ReadDeadLettersOptions {
  readonly topic: string;
  readonly filter: LetterFilter;
  /** Every selected dead letter, in offset order per partition. */
  readonly onLetter: (at: LetterAt) => Promise<void> | void;
  /**
   * A record the position filters select that is not a decodable dead letter: reported, never silently
   * passed over (content filters cannot tell whether it would have been selected).
   */
  readonly onUnreadable: (record: LogRecord, why: string) => Promise<void> | void;
}

/**
 * Reads a dead-letter topic from its beginning (or the filter's `since`) up to its end as it was at
 * start, and hands over the dead letters the filter selects. Position filters (--offset, --since) are
 * checked before decoding; a registry outage fails the read rather than skipping records.
 */
export async function readDeadLetters(
  kafka: Kafka,
  codec: AvroCodec,
  options: ReadDeadLettersOptions,
): Promise<ReadSummary> {
  const { topic, filter } = options;
  return readLogBounded(kafka, {
    topic,
    start:
      filter.since === undefined ? { kind: 'beginning' } : { kind: 'timestamp', timestamp: filter.since },
    groupPrefix: 'optstream-dlq',
    onRecord: async (record) => {
      const position = { partition: record.partition, offset: record.offset };
      if (!selectsPosition(filter, position, record.timestamp)) return;
      const decoded = await decodeRecord<unknown>(codec, record.value);
      if (!decoded.ok) return options.onUnreadable(record, errorMessage(decoded.error));
      const value = decoded.value;
      if (!isDeadLetter(value)) return options.onUnreadable(record, 'not a dead-letter record');
      const at: LetterAt = {
        topic,
        position,
        timestamp: record.timestamp,
        letter: value,
      };
      if (selects(filter, at)) await options.onLetter(at);
    },
  });
}

/** Fails with a plain message before any read when the topic is not there (KafkaJS would retry first). */
export async function assertTopicExists(kafka: Kafka, topic: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    if (!(await admin.listTopics()).includes(topic)) throw new Error(`topic ${topic} does not exist`);
  } finally {
    await admin.disconnect();
  }
}
