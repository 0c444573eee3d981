import { Kafka, KafkaMessage, logLevel } from 'kafkajs';
import { uniqueName } from './test-stack';
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
  const consumer = kafka.consumer({
    groupId: uniqueName('test-reader'),
    allowAutoTopicCreation: false,
    maxWaitTimeInMs: 200,
  });
  const seen: ReadMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        seen.push({ partition, message });
      },
    });
    await waitFor(() => seen.length >= count, {
      timeoutMs,
      description: `${count} messages on ${topic} (saw ${seen.length})`,
    });
    return seen;
  } finally {
    await consumer.disconnect();
  }
}
