import { SCHEMAS, TOPICS, type TopicDeclaration } from '@optstream/contracts';
import { AvroCodec, createKafkaClient, EventPublisher, provisionContracts } from '@optstream/kafka';
import { createLogger, type Logger } from '@optstream/observability';
import { openDatabase } from '@optstream/postgres';
import {
  ensureActiveVersion,
  PREFERENCES_DATABASE,
  PreferencesReadModel,
  type ProjectionTarget,
} from '@optstream/preferences-data-access';
import type { Kafka } from 'kafkajs';
import type { DataSource } from 'typeorm';
import type { ProjectorConfig } from './config/projector-config';
import { ProjectorMetrics } from './observability/projector-metrics';
import { ProjectionConsumer } from './projection/projection-consumer';
import { StatePublisher } from './projection/state-publisher';

/** Everything the HTTP layer and the projection loop need, built once at start-up from configuration. */
export interface ProjectorRuntime {
  readonly config: ProjectorConfig;
  readonly log: Logger;
  readonly metrics: ProjectorMetrics;
  readonly db: DataSource;
  readonly readModel: PreferencesReadModel;
  readonly hashKey: Buffer;
  readonly consumer: ProjectionConsumer | null;
  readonly publisher: EventPublisher;
  close(): Promise<void>;
}

export const PROJECTOR_RUNTIME = Symbol('ProjectorRuntime');

/** The contract's declarations under the configured names (tests use topics of their own). */
export function projectorTopics(config: ProjectorConfig): TopicDeclaration[] {
  return [
    { ...TOPICS.marketingPreferenceUpdated, name: config.PREFERENCES_TOPIC },
    { ...TOPICS.identity, name: config.IDENTITY_TOPIC },
    { ...TOPICS.contactPreferencesState, name: config.STATE_TOPIC },
    { ...TOPICS.preferencesDeadLetter, name: config.DEAD_LETTER_TOPIC },
  ];
}

export async function connectKafka(config: ProjectorConfig): Promise<{ kafka: Kafka; codec: AvroCodec }> {
  const kafka = createKafkaClient(config, 'preference-projector');
  const codec = AvroCodec.fromConfig(config);
  await provisionContracts(kafka, codec, projectorTopics(config), {
    ...(config.TOPIC_PARTITIONS ? { partitions: config.TOPIC_PARTITIONS } : {}),
  });
  return { kafka, codec };
}

export function openProjectorDatabase(
  config: ProjectorConfig,
  applicationName = 'preference-projector',
  log?: Logger,
): Promise<DataSource> {
  return openDatabase({
    url: config.DATABASE_URL,
    applicationName,
    ...(log ? { log } : {}),
    poolSize: config.DATABASE_POOL_SIZE,
    migrationsTableName: PREFERENCES_DATABASE.migrationsTableName,
    migrations: [...PREFERENCES_DATABASE.migrations],
  });
}

export async function startProjectorRuntime(
  config: ProjectorConfig,
  log: Logger = createLogger('preference-projector', config.LOG_LEVEL),
): Promise<ProjectorRuntime> {
  const db = await openProjectorDatabase(config, 'preference-projector', log);
  const version = await ensureActiveVersion(db, config.PROJECTION_NAME);
  const { kafka, codec } = await connectKafka(config);
  // Erasure requests go to the gateway's inbound topic: the projector registers its schema there but
  // never creates the topic (the gateway owns its partitions and retention).
  await codec.register(config.INBOUND_TOPIC, SCHEMAS[TOPICS.contactInbound.valueSchema]);
  const publisher = new EventPublisher(kafka, codec, {
    [config.INBOUND_TOPIC]: TOPICS.contactInbound.valueSchema,
  });
  await publisher.connect();
  const metrics = new ProjectorMetrics();
  const target: ProjectionTarget = {
    projection: config.PROJECTION_NAME,
    version,
    fenceActiveVersion: true,
    useOutbox: true,
  };
  const consumer = config.PROJECTOR_CONSUME
    ? new ProjectionConsumer(
        kafka,
        codec,
        db,
        target,
        new StatePublisher(publisher, db, config.STATE_TOPIC, metrics),
        publisher,
        {
          preferences: config.PREFERENCES_TOPIC,
          identity: config.IDENTITY_TOPIC,
          deadLetter: config.DEAD_LETTER_TOPIC,
        },
        metrics,
        log,
        config.CONSUMER_GROUP,
      )
    : null;
  await consumer?.start();
  log.info(
    { projection: config.PROJECTION_NAME, version, consuming: consumer !== null },
    'projector started',
  );
  return {
    config,
    log,
    metrics,
    db,
    readModel: new PreferencesReadModel(db, config.PROJECTION_NAME),
    hashKey: Buffer.from(config.OPTSTREAM_HASH_KEY, 'base64'),
    consumer,
    publisher,
    async close() {
      await consumer?.stop();
      await publisher.disconnect();
      await db.destroy();
    },
  };
}
