import { randomBytes, randomUUID } from 'node:crypto';
import { SCHEMAS, TOPICS, type ContactPreferencesState } from '@optstream/contracts';
import { AvroCodec, createKafkaClient, EventPublisher, provisionContracts } from '@optstream/kafka';
import { startProviderSimulators, type ProviderSimulators } from '@optstream/provider-simulators';
import {
  freePort,
  spawnService,
  testDatabaseUrl,
  testKafkaConfig,
  uniqueName,
  waitFor,
  type ServiceProcess,
} from '@optstream/testing';

jest.setTimeout(60_000);

/** Below the connectors' terminationGracePeriodSeconds (30 s in deploy/k8s). */
const GRACE_MS = 10_000;

const state = (externalId: string): ContactPreferencesState => ({
  externalId,
  version: 1,
  channels: [
    {
      channel: 'email',
      status: 'unsubscribed',
      occurredAt: 1,
      eventId: 'e1',
      sourceOfChange: 'Shutdown Test',
    },
  ],
  updatedAt: Date.now(),
  causationId: `evt-${externalId}`,
});

describe('connector-email: graceful shutdown on SIGTERM (real process)', () => {
  const kafkaConfig = testKafkaConfig();
  const kafka = createKafkaClient(kafkaConfig, 'connector-shutdown-test');
  const stateTopic = uniqueName('state-shutdown');
  const group = uniqueName('connector-shutdown');
  let sims: ProviderSimulators;
  let connector: ServiceProcess;
  let publisher: EventPublisher;

  beforeAll(async () => {
    sims = await startProviderSimulators({ port: 0 });
    const codec = AvroCodec.fromConfig(kafkaConfig);
    await provisionContracts(kafka, codec, [{ ...TOPICS.contactPreferencesState, name: stateTopic }], {
      partitions: 1,
    });
    await codec.register(stateTopic, SCHEMAS[TOPICS.contactPreferencesState.valueSchema]);
    publisher = new EventPublisher(kafka, codec, {});
    await publisher.connect();
  });
  afterAll(async () => {
    connector?.kill();
    await publisher?.disconnect();
    await sims?.close();
  });

  it('finishes and commits the batch in hand, loses nothing, and exits 0 within the grace period', async () => {
    connector = spawnService('connector-email', await freePort(), {
      ...kafkaConfigEnv(kafkaConfig),
      DATABASE_URL: testDatabaseUrl(),
      OPTSTREAM_MASTER_KEYS: `k1=${randomBytes(32).toString('base64')}`,
      CONNECTOR_PROVIDERS: 'braze',
      BRAZE_API_KEY: sims.credentials.brazeApiKey,
      BRAZE_API_URL: sims.baseUrl('braze'),
      STATE_TOPIC: stateTopic,
      DEAD_LETTER_TOPIC: uniqueName('connectors-dlq-shutdown'),
      CONSUMER_GROUP: group,
      TOPIC_PARTITIONS: '1',
      LOG_LEVEL: 'info',
    });
    await connector.ready();
    // Slow provider answers keep deliveries in flight when SIGTERM arrives.
    sims.setFault('braze', { kind: 'slow', delayMs: 300 });
    const ids = Array.from({ length: 300 }, () => randomUUID());
    await publisher.publish(
      stateTopic,
      ids.map((id) => ({ key: id, value: state(id), eventId: `evt-${id}` })),
    );
    await waitFor(() => sims.calls('braze').length > 0, {
      timeoutMs: 30_000,
      description: 'a first Braze call',
    });
    const exit = await connector.terminate('SIGTERM');
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.ms).toBeLessThan(GRACE_MS);

    // Offsets (1 partition: offset i = ids[i]) committed up to `committed`: all of those were delivered,
    // and nothing delivered was left uncommitted (the batch in hand was finished, then committed).
    const admin = kafka.admin();
    await admin.connect();
    const [offsets] = await admin.fetchOffsets({ groupId: group, topics: [stateTopic] });
    await admin.disconnect();
    const committed = Number(offsets?.partitions[0]?.offset ?? -1);
    const delivered = ids.map((id) => sims.state.braze.user(id) !== undefined);
    expect(committed).toBeGreaterThan(0);
    expect(delivered.slice(0, committed).every(Boolean)).toBe(true);
    expect(delivered.slice(committed).some(Boolean)).toBe(false);
    expect(connector.output()).toContain('shutting down');
  });
});

function kafkaConfigEnv(config: ReturnType<typeof testKafkaConfig>): NodeJS.ProcessEnv {
  return { KAFKA_BROKERS: config.KAFKA_BROKERS.join(','), SCHEMA_REGISTRY_URL: config.SCHEMA_REGISTRY_URL };
}
