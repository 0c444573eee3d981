import { freePort, spawnService, testDatabaseUrl, testKafkaConfig, uniqueName } from '@optstream/testing';
import { MASTER_KEY_ID, ResolverHarness } from './resolver-harness';

jest.setTimeout(120_000);

/** The real entry point as `nx serve` runs it: starts, becomes ready, and on SIGTERM leaves cleanly. */
it('main.ts starts from the environment and exits 0 on SIGTERM', async () => {
  const kafka = testKafkaConfig();
  // Keys and topics of its own: a new group on the shared inbound topic would start at its beginning
  // and resolve every fact other suites sent, publishing outputs into their tails.
  const keys = new ResolverHarness({ ownTopics: true });
  const own = keys.config;
  const resolver = spawnService('identity-resolver', await freePort(), {
    KAFKA_BROKERS: kafka.KAFKA_BROKERS.join(','),
    SCHEMA_REGISTRY_URL: kafka.SCHEMA_REGISTRY_URL,
    DATABASE_URL: testDatabaseUrl(),
    OPTSTREAM_HASH_KEY: keys.hashKey.toString('base64'),
    OPTSTREAM_MASTER_KEYS: `${MASTER_KEY_ID}=${keys.masterKeyBase64}`,
    OPTSTREAM_ACTIVE_MASTER_KEY_ID: MASTER_KEY_ID,
    INBOUND_TOPIC: own.INBOUND_TOPIC,
    IDENTITY_TOPIC: own.IDENTITY_TOPIC,
    PREFERENCES_TOPIC: own.PREFERENCES_TOPIC,
    DEAD_LETTER_TOPIC: own.DEAD_LETTER_TOPIC,
    TOPIC_PARTITIONS: '1',
    CONSUMER_GROUP: uniqueName('identity-resolver-main'),
    LOG_LEVEL: 'info',
  });
  try {
    // Ready is what its health endpoint says (what Kubernetes asks), not a log line.
    await resolver.ready();
    const exit = await resolver.terminate('SIGTERM');
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(resolver.output()).toMatch(/identity-resolver running/);
    expect(resolver.output()).toMatch(/shutting down/);
  } finally {
    resolver.kill();
  }
});
