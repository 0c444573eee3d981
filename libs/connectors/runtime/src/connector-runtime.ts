import { deadLetterTopicAs, TOPICS, type TopicDeclaration } from '@optstream/contracts';
import { CONNECTORS_DATABASE, DeliveryLog, ErasureLog, ParkingLot } from '@optstream/connectors-data-access';
import type { Channel, ProviderAdapter } from '@optstream/connectors-domain';
import { ContactAddressBook } from '@optstream/contact-addresses';
import {
  AvroCodec,
  createKafkaClient,
  errorMessage,
  EventConsumer,
  EventPublisher,
  isRetriable,
  ProcessingError,
  provisionContracts,
} from '@optstream/kafka';
import { createLogger, type Logger } from '@optstream/observability';
import { LocalMasterKeyProvider } from '@optstream/pii-crypto';
import { isTransientDatabaseError, openDatabase } from '@optstream/postgres';
import type { DataSource } from 'typeorm';
import type { ConnectorConfig } from './connector-config';
import { ConnectorMetrics } from './connector-metrics';
import { Connector } from './connector';

export interface ConnectorRuntime {
  readonly service: string;
  readonly config: ConnectorConfig;
  readonly log: Logger;
  readonly metrics: ConnectorMetrics;
  readonly db: DataSource;
  readonly connector: Connector;
  readonly consumer: EventConsumer;
  /** One pass over the parked deliveries that are due (the timer calls it; tests may too). */
  retryParkedNow(): Promise<number>;
  close(): Promise<void>;
}

export const CONNECTOR_RUNTIME = Symbol('ConnectorRuntime');

const INFRASTRUCTURE = 'INFRASTRUCTURE_UNAVAILABLE';

/** Marks database and broker outages retriable (and waited out); anything else passes unchanged. */
function asInfrastructureFailure(error: unknown): unknown {
  if (error instanceof ProcessingError || isRetriable(error)) return error;
  if (
    isTransientDatabaseError(error) ||
    /KafkaJS(Connection|RequestTimeout|NumberOfRetriesExceeded)/.test(errorName(error))
  )
    return new ProcessingError(INFRASTRUCTURE, `connector infrastructure: ${errorMessage(error)}`, true, {
      cause: error,
    });
  return error;
}

const errorName = (error: unknown): string => (error instanceof Error ? error.name : '');

function connectorTopics(config: ConnectorConfig): TopicDeclaration[] {
  return [
    { ...TOPICS.contactPreferencesState, name: config.STATE_TOPIC },
    deadLetterTopicAs(TOPICS.connectorsDeadLetter, config.DEAD_LETTER_TOPIC, config.DEAD_LETTER_RETENTION_MS),
  ];
}

export interface ConnectorRuntimeOptions {
  readonly channel: Channel;
  readonly config: ConnectorConfig;
  /** Built by the app from configuration (@optstream/connectors-providers). */
  readonly adapters: readonly ProviderAdapter[];
  readonly log?: Logger;
  /** Shared with the adapters' metric hooks, so one /metrics shows requests and deliveries. */
  readonly metrics?: ConnectorMetrics;
}

/**
 * Wires one connector: Postgres (its bookkeeping; read-only use of the identity store for addresses),
 * the state-topic consumer in its own group, the dead-letter publisher, and the parked-retry timer.
 * Shutdown order: stop the timer, let the consumer finish its batch and commit, then close the rest.
 */
export async function startConnectorRuntime(options: ConnectorRuntimeOptions): Promise<ConnectorRuntime> {
  const { channel, config, adapters } = options;
  const service = `connector-${channel}`;
  const log = options.log ?? createLogger(service, config.LOG_LEVEL);
  const metrics = options.metrics ?? new ConnectorMetrics(service);
  const db = await openDatabase({
    url: config.DATABASE_URL,
    applicationName: service,
    log,
    poolSize: config.DATABASE_POOL_SIZE,
    migrationsTableName: CONNECTORS_DATABASE.migrationsTableName,
    migrations: [...CONNECTORS_DATABASE.migrations],
  });
  const kafka = createKafkaClient(config, service);
  const codec = AvroCodec.fromConfig(config);
  await provisionContracts(kafka, codec, connectorTopics(config), {
    ...(config.TOPIC_PARTITIONS ? { partitions: config.TOPIC_PARTITIONS } : {}),
    producer: { name: service, warn: (message) => log.warn(message) },
  });
  const publisher = new EventPublisher(kafka, codec, {});
  await publisher.connect();
  const masterKeys = new LocalMasterKeyProvider({
    activeKeyId: Object.keys(config.OPTSTREAM_MASTER_KEYS)[0] ?? '',
    keys: config.OPTSTREAM_MASTER_KEYS,
  });
  const parking = new ParkingLot(db, service);
  const connector = new Connector(
    adapters,
    {
      service,
      deliveries: new DeliveryLog(db, service),
      parking,
      addresses: new ContactAddressBook(db, masterKeys),
      deadLetter: (record) =>
        publisher.publish(config.DEAD_LETTER_TOPIC, [
          {
            key: record.originalKey,
            value: record,
            eventId: `${service}/${record.originalTopic}/${record.originalPartition}/${record.originalOffset}/${record.reason.slice(0, 32)}`,
          },
        ]),
      schedule: {
        baseDelayMs: config.PARK_RETRY_BASE_MS,
        maxDelayMs: config.PARK_RETRY_MAX_MS,
        maxAttempts: config.PARK_MAX_ATTEMPTS,
      },
      metrics,
      log,
      now: () => new Date(),
    },
    { erasures: new ErasureLog(db, service), metrics, log },
  );
  const consumer = new EventConsumer(kafka, codec, publisher, {
    service,
    groupId: config.CONSUMER_GROUP,
    topics: [config.STATE_TOPIC],
    deadLetterTopic: config.DEAD_LETTER_TOPIC,
    partitionsConsumedConcurrently: config.PARTITIONS_CONCURRENCY,
    tombstones: true,
    // A PostgreSQL restart or a Kafka outage is waited out, never a reason to dead-letter a contact.
    retryIndefinitely: (error) => error instanceof ProcessingError && error.code === INFRASTRUCTURE,
    lag: metrics.consumerLag,
  });
  await consumer.start({
    batch: (events) =>
      connector.handleStates(events).catch((error: unknown) => {
        throw asInfrastructureFailure(error);
      }),
  });

  const retryParkedNow = async (): Promise<number> => {
    const tried = await connector.retryParked();
    const parked = await parking.countByProvider();
    for (const adapter of adapters)
      metrics.parked.set({ provider: adapter.provider }, parked.get(adapter.provider) ?? 0);
    return tried;
  };
  let stopped = false;
  // The pass under way, so close() lets it finish before the database goes.
  let parkedPass: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    if (!stopped)
      parkedPass = retryParkedNow().catch((error: unknown) =>
        log.warn({ err: error }, 'parked retry pass failed'),
      );
  }, config.PARKED_POLL_INTERVAL_MS);
  log.info(
    { providers: adapters.map((a) => a.provider), group: config.CONSUMER_GROUP },
    `${service} started`,
  );

  return {
    service,
    config,
    log,
    metrics,
    db,
    connector,
    consumer,
    retryParkedNow,
    async close() {
      stopped = true;
      clearInterval(timer);
      await consumer.stop();
      await parkedPass;
      await publisher.disconnect();
      await db.destroy();
    },
  };
}
