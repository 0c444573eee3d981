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
      // KafkaJS's own wait gives up when a broker answers UNKNOWN_TOPIC_OR_PARTITION for a topic whose
      // creation has not reached its metadata cache yet (seen on KRaft under load): wait ourselves.
      waitForLeaders: false,
      topics: missing.map((t) => ({
        topic: t.name,
        numPartitions: options.partitions ?? t.partitions,
        replicationFactor: -1,
        configEntries: Object.entries(t.configs).map(([name, value]) => ({ name, value })),
      })),
    });
    await waitForLeaders(
      admin,
      missing.map((t) => t.name),
    );
    return missing.map((t) => t.name);
  } finally {
    await admin.disconnect();
  }
}

/** Polls metadata until every partition of the topics has a leader, or fails after the deadline. */
async function waitForLeaders(admin: Admin, topics: readonly string[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = 'no metadata yet';
  while (Date.now() < deadline) {
    try {
      const { topics: found } = await admin.fetchTopicMetadata({ topics: [...topics] });
      const ready =
        found.length === topics.length &&
        found.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0));
      if (ready) return;
      last = 'partitions without a leader';
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(
    `topics ${topics.join(', ')} have no leaders after ${timeoutMs} ms: ${last instanceof Error ? last.message : String(last)}`,
  );
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
