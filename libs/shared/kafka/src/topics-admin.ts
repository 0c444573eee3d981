import { Admin, ConfigResourceTypes, Kafka } from 'kafkajs';
import { topicConfigs, type TopicDeclaration } from '@optstream/contracts';

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
    const replicas = await defaultReplicationFactor(admin);
    await admin.createTopics({
      // KafkaJS's own wait gives up when a broker answers UNKNOWN_TOPIC_OR_PARTITION for a topic whose
      // creation has not reached its metadata cache yet (seen on KRaft under load): wait ourselves.
      waitForLeaders: false,
      topics: missing.map((t) => ({
        topic: t.name,
        numPartitions: options.partitions ?? t.partitions,
        replicationFactor: -1,
        configEntries: Object.entries(topicConfigs(t, replicas)).map(([name, value]) => ({ name, value })),
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

/**
 * How many replicas a topic created with `replicationFactor: -1` gets: the brokers' default, bounded
 * by how many brokers there are (what decides whether the replicated configs apply).
 */
async function defaultReplicationFactor(admin: Admin): Promise<number> {
  const { brokers } = await admin.describeCluster();
  const broker = brokers[0];
  if (broker === undefined) return 1;
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: [
      {
        type: ConfigResourceTypes.BROKER,
        name: String(broker.nodeId),
        configNames: ['default.replication.factor'],
      },
    ],
  });
  const value = Number(described.resources[0]?.configEntries[0]?.configValue ?? '1');
  return Math.min(Number.isInteger(value) && value > 0 ? value : 1, brokers.length);
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

/** What decides whether an acknowledged write survives its leader: replicas and min.insync.replicas. */
export interface TopicDurability {
  readonly topic: string;
  readonly replicas: number;
  readonly minInsyncReplicas: number;
}

/** The broker's replicas and min.insync.replicas of each topic. */
export async function describeTopicDurability(
  kafka: Kafka,
  topics: readonly string[],
): Promise<TopicDurability[]> {
  if (topics.length === 0) return [];
  const admin: Admin = kafka.admin();
  await admin.connect();
  try {
    const metadata = await admin.fetchTopicMetadata({ topics: [...topics] });
    const configs = await admin.describeConfigs({
      includeSynonyms: false,
      resources: topics.map((name) => ({
        type: ConfigResourceTypes.TOPIC,
        name,
        configNames: ['min.insync.replicas'],
      })),
    });
    return topics.map((topic) => ({
      topic,
      replicas: Math.max(
        0,
        ...(metadata.topics.find((t) => t.name === topic)?.partitions.map((p) => p.replicas.length) ?? []),
      ),
      minInsyncReplicas: Number(
        configs.resources.find((r) => r.resourceName === topic)?.configEntries[0]?.configValue ?? '1',
      ),
    }));
  } finally {
    await admin.disconnect();
  }
}

/**
 * A warning for each replicated topic whose acknowledged writes could live on one broker alone: more
 * than one replica but min.insync.replicas below 2 (the broker default is 1).
 */
export function weakDurabilityWarnings(topics: readonly TopicDurability[]): string[] {
  return topics
    .filter((t) => t.replicas > 1 && t.minInsyncReplicas < 2)
    .map(
      (t) =>
        `topic ${t.topic} has ${t.replicas} replicas but min.insync.replicas=${t.minInsyncReplicas}: a write ` +
        `acknowledged with acks=all can live on the leader alone and be lost with it; set ` +
        `min.insync.replicas=2 on the topic (docs/operations.md, Topics)`,
    );
}
