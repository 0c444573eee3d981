import { openReader, readerGroupId } from '@optstream/kafka';
import { Kafka, KafkaMessage, logLevel } from 'kafkajs';
import { waitFor } from './wait-for';

export interface TopicTail {
  readonly messages: readonly KafkaMessage[];
  /** Waits until `count` messages matching `predicate` arrived; returns them. */
  until(predicate: (m: KafkaMessage) => boolean, count?: number, timeoutMs?: number): Promise<KafkaMessage[]>;
  /**
   * Waits until this tail has read everything on the topic now: its position on every partition has
   * reached the end offset read at this call. Before asserting on the whole of `messages` (a count, that
   * something is absent): a message acknowledged by Kafka may not have been fetched by the tail yet.
   */
  readToEnd(timeoutMs?: number): Promise<readonly KafkaMessage[]>;
  stop(): Promise<void>;
}

/**
 * Follows a topic from its current end: only messages produced after this call are seen. The end
 * offsets are read first and the consumer seeks to them, so nothing produced afterwards can be missed.
 */
export async function tailTopic(brokers: readonly string[], topic: string): Promise<TopicTail> {
  const kafka = new Kafka({
    clientId: 'optstream-test-tail',
    brokers: [...brokers],
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  // Right after a topic is created a broker may still answer "not the leader for that topic-partition"
  // (seen in CI): ask again until the deadline, which reports the last error.
  const ends = await waitFor(() => admin.fetchTopicOffsets(topic), {
    timeoutMs: 30_000,
    description: `the end offsets of ${topic}`,
  }).finally(() => admin.disconnect());
  const messages: KafkaMessage[] = [];
  // The next offset to read per partition (the producers here use no transactions: offsets are dense).
  const next = new Map(ends.map((end) => [end.partition, Number(end.offset)]));
  const reader = await openReader(kafka, {
    topics: [topic],
    groupId: readerGroupId('test-tail'),
    maxWaitTimeInMs: 100,
    positions: ends.map((end) => ({ topic, partition: end.partition, offset: end.offset })),
    eachBatch: async ({ batch, resolveOffset }) => {
      messages.push(...batch.messages);
      const last = batch.messages[batch.messages.length - 1];
      if (last) {
        resolveOffset(last.offset);
        next.set(batch.partition, Number(last.offset) + 1);
      }
    },
  });
  return {
    messages,
    async until(predicate, count = 1, timeoutMs = 20_000) {
      return waitFor(
        () => {
          const matching = messages.filter(predicate);
          return matching.length >= count ? matching : undefined;
        },
        { timeoutMs, description: `${count} matching message(s) on ${topic}` },
      );
    },
    async readToEnd(timeoutMs = 20_000) {
      const admin = kafka.admin();
      await admin.connect();
      const now = await waitFor(() => admin.fetchTopicOffsets(topic), {
        timeoutMs,
        description: `the end offsets of ${topic}`,
      }).finally(() => admin.disconnect());
      await waitFor(() => now.every((end) => (next.get(end.partition) ?? 0) >= Number(end.offset)), {
        timeoutMs,
        description: `the tail of ${topic} to reach its end offsets`,
      });
      return messages;
    },
    stop: () => reader.stop(),
  };
}
