import { TOPICS, type TopicDeclaration } from '@optstream/contracts';
import { DataKeyStore, openIdentityDatabase } from '@optstream/identity-data-access';
import { uuidV5Ids } from '@optstream/identity-domain';
import {
  AvroCodec,
  createKafkaClient,
  EventConsumer,
  EventPublisher,
  provisionContracts,
} from '@optstream/kafka';
import { createLogger, type Logger } from '@optstream/observability';
import { LocalMasterKeyProvider } from '@optstream/pii-crypto';
import type { ResolverConfig } from './config/resolver-config';
import { startHealthServer } from './http/health-server';
import { ResolverMetrics } from './observability/resolver-metrics';
import { isInfrastructureFailure } from './resolution/errors';
import { IdentityResolver } from './resolution/identity-resolver';

export interface RunningResolver {
  readonly url: string;
  readonly metrics: ResolverMetrics;
  readonly log: Logger;
  /** Finishes the fact in hand, commits offsets, leaves the group, then closes everything else. */
  stop(): Promise<void>;
}

/** The contract's topic declarations under the configured names (tests and benchmarks use their own). */
export const resolverTopics = (config: ResolverConfig): TopicDeclaration[] => [
  { ...TOPICS.contactInbound, name: config.INBOUND_TOPIC },
  { ...TOPICS.identity, name: config.IDENTITY_TOPIC },
  { ...TOPICS.marketingPreferenceUpdated, name: config.PREFERENCES_TOPIC },
  { ...TOPICS.identityDeadLetter, name: config.DEAD_LETTER_TOPIC },
];

export async function startResolver(
  config: ResolverConfig,
  log: Logger = createLogger('identity-resolver', config.LOG_LEVEL),
): Promise<RunningResolver> {
  const masterKeys = new LocalMasterKeyProvider({
    activeKeyId: config.OPTSTREAM_ACTIVE_MASTER_KEY_ID,
    keys: config.OPTSTREAM_MASTER_KEYS,
  });
  const kafka = createKafkaClient(config, 'identity-resolver');
  const codec = AvroCodec.fromConfig(config);
  const ownTopics = resolverTopics(config);
  await provisionContracts(kafka, codec, ownTopics, {
    ...(config.TOPIC_PARTITIONS ? { partitions: config.TOPIC_PARTITIONS } : {}),
  });
  const publisher = new EventPublisher(
    kafka,
    codec,
    Object.fromEntries(ownTopics.map((t) => [t.name, t.valueSchema])),
  );
  await publisher.connect();
  const db = await openIdentityDatabase(
    config.DATABASE_URL,
    'identity-resolver',
    config.DATABASE_POOL_SIZE,
    log,
  );
  const metrics = new ResolverMetrics();
  const resolver = new IdentityResolver({
    db,
    keys: new DataKeyStore(db, masterKeys),
    publisher,
    hashKey: Buffer.from(config.OPTSTREAM_HASH_KEY, 'base64'),
    deriveId: uuidV5Ids(),
    now: Date.now,
    metrics,
    log,
    topics: { identity: config.IDENTITY_TOPIC, preferences: config.PREFERENCES_TOPIC },
  });
  const consumer = new EventConsumer(kafka, codec, publisher, {
    service: 'identity-resolver',
    groupId: config.CONSUMER_GROUP,
    topics: [config.INBOUND_TOPIC],
    deadLetterTopic: config.DEAD_LETTER_TOPIC,
    partitionsConsumedConcurrently: config.PARTITIONS_CONCURRENCY,
    // A database or broker outage is waited out (capped backoff, heartbeating), never dead-lettered.
    retryIndefinitely: isInfrastructureFailure,
    lag: metrics.consumerLag,
    onDeadLetter: (topic, error) => {
      metrics.deadLetters.inc();
      log.warn({ topic, err: error instanceof Error ? error.message : String(error) }, 'fact dead-lettered');
    },
  });
  // A partition's whole batch at once: one view load, one transaction, one send per output topic.
  await consumer.start({ batch: (events) => resolver.handleBatch(events) });
  const health = await startHealthServer(
    config.PORT,
    config.HOST,
    () => consumer.isRunning && publisher.isConnected && db.isInitialized,
    metrics.registry,
  );
  log.info({ port: health.port, group: config.CONSUMER_GROUP }, 'identity-resolver running');
  return {
    url: `http://127.0.0.1:${health.port}`,
    metrics,
    log,
    async stop() {
      // Consumer first: its in-flight fact still needs the publisher and the database.
      await consumer.stop();
      await resolver.drain();
      await health.close();
      await publisher.disconnect();
      await db.destroy();
    },
  };
}
