import { openReader, readerGroupId } from '@optstream/kafka';
import { Kafka, KafkaMessage, logLevel } from 'kafkajs';
import { waitFor } from './wait-for';

export interface ReadMessage {
  readonly partition: number;
  readonly message: KafkaMessage;
}

/**
 * Reads a topic from the beginning with a throw-away consumer group until `count` messages arrived (or
 * the deadline passes), then leaves. For asserting what a service published.
 */
export async function readTopic(
  brokers: readonly string[],
  topic: string,
  { count, timeoutMs = 30_000 }: { count: number; timeoutMs?: number },
): Promise<ReadMessage[]> {
  const kafka = new Kafka({
    clientId: 'optstream-test-reader',
    brokers: [...brokers],
    logLevel: logLevel.NOTHING,
  });
  const seen: ReadMessage[] = [];
  const reader = await openReader(kafka, {
    topics: [topic],
    groupId: readerGroupId('test-reader'),
    maxWaitTimeInMs: 200,
    eachBatch: async ({ batch, resolveOffset }) => {
      for (const message of batch.messages) seen.push({ partition: batch.partition, message });
      const last = batch.messages[batch.messages.length - 1];
      if (last) resolveOffset(last.offset);
    },
  });
  try {
    await waitFor(() => seen.length >= count, {
      timeoutMs,
      description: `${count} messages on ${topic} (saw ${seen.length})`,
    });
    return seen;
  } finally {
    await reader.stop();
  }
}

/**
 * Every message on the topic now: as many as its end offsets say, read from the beginning. For asserting
 * that something is there exactly once: `readTopic` with the expected count returns as soon as that many
 * arrived, and a duplicate fetched later would go unseen.
 */
export async function readWholeTopic(
  brokers: readonly string[],
  topic: string,
  { timeoutMs = 30_000 }: { timeoutMs?: number } = {},
): Promise<ReadMessage[]> {
  const admin = new Kafka({
    clientId: 'optstream-test-reader',
    brokers: [...brokers],
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  const offsets = await waitFor(() => admin.fetchTopicOffsets(topic), {
    timeoutMs,
    description: `the end offsets of ${topic}`,
  }).finally(() => admin.disconnect());
  const count = offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  return readTopic(brokers, topic, { count, timeoutMs });
}
