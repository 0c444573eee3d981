import { ALL_TOPICS, SCHEMAS, TopicDeclaration } from '@optstream/contracts';
import { Kafka } from 'kafkajs';
import { AvroCodec } from './codec';
import {
  describeTopicDurability,
  ensureTopics,
  EnsureTopicsOptions,
  weakDurabilityWarnings,
} from './topics-admin';

export interface ProvisionOptions extends EnsureTopicsOptions {
  /** The service provisioning: the topics it produces to are checked, and a weak one is warned about. */
  readonly producer?: { readonly name: string; readonly warn: (message: string) => void };
}

/**
 * Creates every declared topic and registers each topic's value schema (`<topic>-value`). Run by
 * `npm start`, by services at start-up, and by the Kubernetes provisioning job; safe to repeat.
 */
export async function provisionContracts(
  kafka: Kafka,
  codec: AvroCodec,
  topics: readonly TopicDeclaration[] = ALL_TOPICS,
  options: ProvisionOptions = {},
): Promise<{ created: string[] }> {
  const created = await ensureTopics(kafka, topics, options);
  for (const topic of topics) await codec.register(topic.name, SCHEMAS[topic.valueSchema]);
  const { producer } = options;
  if (producer !== undefined) {
    const written = topics.filter((t) => t.producers.includes(producer.name)).map((t) => t.name);
    for (const warning of weakDurabilityWarnings(await describeTopicDurability(kafka, written)))
      producer.warn(warning);
  }
  return { created };
}
