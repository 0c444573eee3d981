import { Kafka, KafkaMessage, logLevel } from 'kafkajs';
import { uniqueName } from './test-stack';
import { waitFor } from './wait-for';

export interface TopicTail {
  readonly messages: readonly KafkaMessage[];
  /** Waits until `count` messages matching `predicate` arrived; returns them. */
  until(predicate: (m: KafkaMessage) => boolean, count?: number, timeoutMs?: number): Promise<KafkaMessage[]>;
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
  const consumer = kafka.consumer({
    groupId: uniqueName('test-tail'),
    allowAutoTopicCreation: false,
    maxWaitTimeInMs: 100,
  });
  const messages: KafkaMessage[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void messages.push(message) });
  for (const end of ends) consumer.seek({ topic, partition: end.partition, offset: end.offset });
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
    stop: () => consumer.disconnect(),
  };
}
