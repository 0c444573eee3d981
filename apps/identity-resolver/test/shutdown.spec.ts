import { randomBytes } from 'node:crypto';
import { SCHEMAS, TOPICS, type MarketingPreferenceUpdated } from '@optstream/contracts';
import { AvroCodec, createKafkaClient } from '@optstream/kafka';
import {
  freePort,
  spawnService,
  tailTopic,
  testDatabaseUrl,
  testKafkaConfig,
  uniqueName,
  waitFor,
  type ServiceProcess,
  type TopicTail,
} from '@optstream/testing';
import { emailOptOut, uniqueEmail } from './facts';

jest.setTimeout(60_000);

/** Below the resolver's terminationGracePeriodSeconds (30 s in deploy/k8s). */
const GRACE_MS = 10_000;

describe('identity-resolver: graceful shutdown on SIGTERM (real process)', () => {
  const kafkaConfig = testKafkaConfig();
  const kafka = createKafkaClient(kafkaConfig, 'resolver-shutdown-test');
  const codec = AvroCodec.fromConfig(kafkaConfig);
  const prefix = uniqueName('test.resolver-shutdown');
  const topics = {
    INBOUND_TOPIC: `${prefix}.inbound`,
    IDENTITY_TOPIC: `${prefix}.identity`,
    PREFERENCES_TOPIC: `${prefix}.preferences`,
    DEAD_LETTER_TOPIC: `${prefix}.dead-letter`,
  };
  const group = uniqueName('resolver-shutdown');
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  let resolver: ServiceProcess;
  let outputs: TopicTail;

  afterAll(async () => {
    resolver?.kill();
    await outputs?.stop();
    await producer.disconnect();
  });

  it('commits the batch in hand after publishing its outputs, loses nothing, and exits 0 in time', async () => {
    resolver = spawnService('identity-resolver', await freePort(), {
      KAFKA_BROKERS: kafkaConfig.KAFKA_BROKERS.join(','),
      SCHEMA_REGISTRY_URL: kafkaConfig.SCHEMA_REGISTRY_URL,
      DATABASE_URL: testDatabaseUrl(),
      OPTSTREAM_HASH_KEY: randomBytes(32).toString('base64'),
      OPTSTREAM_MASTER_KEYS: `k1=${randomBytes(32).toString('base64')}`,
      OPTSTREAM_ACTIVE_MASTER_KEY_ID: 'k1',
      ...topics,
      TOPIC_PARTITIONS: '1',
      CONSUMER_GROUP: group,
      LOG_LEVEL: 'info',
    });
    await resolver.ready();
    outputs = await tailTopic(kafkaConfig.KAFKA_BROKERS, topics.PREFERENCES_TOPIC);
    await codec.register(topics.INBOUND_TOPIC, SCHEMAS[TOPICS.contactInbound.valueSchema]);
    await producer.connect();
    const facts = Array.from({ length: 600 }, () => emailOptOut(uniqueEmail()));
    // Several sends, so the resolver gets several batches and SIGTERM finds one in hand.
    for (let i = 0; i < facts.length; i += 100) {
      const slice = facts.slice(i, i + 100);
      await producer.send({
        topic: topics.INBOUND_TOPIC,
        acks: -1,
        messages: await Promise.all(
          slice.map(async (f) => ({ key: f.eventId, value: await codec.encode(topics.INBOUND_TOPIC, f) })),
        ),
      });
    }
    await waitFor(() => outputs.messages.length > 0, { timeoutMs: 30_000, description: 'a first output' });
    const exit = await resolver.terminate('SIGTERM');
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.ms).toBeLessThan(GRACE_MS);

    // One partition: offset i = facts[i]. Everything below the committed offset has its output; nothing
    // at or above it was resolved (the batch in hand was finished and committed, not dropped).
    const admin = kafka.admin();
    await admin.connect();
    const [offsets] = await admin.fetchOffsets({ groupId: group, topics: [topics.INBOUND_TOPIC] });
    await admin.disconnect();
    const committed = Number(offsets?.partitions[0]?.offset ?? -1);
    expect(committed).toBeGreaterThan(0);
    // The resolver has exited, so everything it published is on the topic: read all of it before
    // asserting, or an output acknowledged by Kafka but not yet fetched would let "nothing above" pass.
    await outputs.readToEnd();
    const decoded = await Promise.all(
      outputs.messages.map((m) => codec.decode<MarketingPreferenceUpdated>(m.value)),
    );
    const caused = new Set(decoded.map((e) => e.causationId));
    expect(facts.slice(0, committed).filter((f) => !caused.has(f.eventId))).toEqual([]);
    expect(facts.slice(committed).filter((f) => caused.has(f.eventId))).toEqual([]);
  });
});
