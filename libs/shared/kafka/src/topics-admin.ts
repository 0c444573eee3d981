import { Admin, ConfigResourceTypes, Kafka } from 'kafkajs';
import type { TopicDeclaration } from '@optstream/contracts';

export interface EnsureTopicsOptions {
  /** Overrides every declaration's partition count (single-node development, tests). */
  readonly partitions?: number;
}

/**
 * Creates the declared topics that do not exist yet and waits for their leaders. Idempotent: existing
 * topics are left as they are (configs are reported by `describeTopicConfigs`, never silently altered).
 */
export async function ensureTopics(
  kafka: Kafka,
  topics: readonly TopicDeclaration[],
  options: EnsureTopicsOptions = {},
): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t.name));
    if (missing.length === 0) return [];
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((t) => ({
        topic: t.name,
        numPartitions: options.partitions ?? t.partitions,
        replicationFactor: -1,
        configEntries: Object.entries(t.configs).map(([name, value]) => ({ name, value })),
      })),
    });
    return missing.map((t) => t.name);
  } finally {
    await admin.disconnect();
  }
}

/** The broker's view of the given config names for a topic. */
export async function describeTopicConfigs(
  kafka: Kafka,
  topic: string,
  names: readonly string[],
): Promise<Record<string, string | null>> {
  const admin: Admin = kafka.admin();
  await admin.connect();
  try {
    const result = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: [...names] }],
    });
    const entries = result.resources[0]?.configEntries ?? [];
    return Object.fromEntries(entries.map((e) => [e.configName, e.configValue]));
  } finally {
    await admin.disconnect();
  }
}
