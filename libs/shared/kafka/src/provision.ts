import { ALL_TOPICS, SCHEMAS, TopicDeclaration } from '@optstream/contracts';
import { Kafka } from 'kafkajs';
import { AvroCodec } from './codec';
import { ensureTopics, EnsureTopicsOptions } from './topics-admin';

/**
 * Creates every declared topic and registers each topic's value schema (`<topic>-value`). Run by
 * `npm start`, by services at start-up, and by the Kubernetes provisioning job; safe to repeat.
 */
export async function provisionContracts(
  kafka: Kafka,
  codec: AvroCodec,
  topics: readonly TopicDeclaration[] = ALL_TOPICS,
  options: EnsureTopicsOptions = {},
): Promise<{ created: string[] }> {
  const created = await ensureTopics(kafka, topics, options);
  for (const topic of topics) await codec.register(topic.name, SCHEMAS[topic.valueSchema]);
  return { created };
}
