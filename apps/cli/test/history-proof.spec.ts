import { randomBytes, randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { SCHEMAS, TOPICS, type MarketingPreferenceUpdated } from '@optstream/contracts';
import { DataKeyStore, openIdentityDatabase } from '@optstream/identity-data-access';
import { AvroCodec, createKafkaClient, ensureTopics } from '@optstream/kafka';
import { LocalMasterKeyProvider, proofOfConsentAssociatedData, seal } from '@optstream/pii-crypto';
import { testDatabaseUrl, testKafkaConfig, uniqueName } from '@optstream/testing';
import type { Kafka } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { parseHistoryArgs } from '../src/history/history-options';
import { ERASED, proofOpener, SEALED } from '../src/history/proof-of-consent';
import { runHistory } from '../src/history/run-history';

jest.setTimeout(120_000);

const kafkaConfig = testKafkaConfig();
const topics = {
  preferences: uniqueName('test.cli-proof.preferences'),
  identity: uniqueName('test.cli-proof.identity'),
};
const IP = '198.51.100.23';
const USER_AGENT = 'Mozilla/5.0 (history proof test)';

let kafka: Kafka;
let codec: AvroCodec;
let db: DataSource;
let keys: DataKeyStore;
const contact = randomUUID();
const eventId = randomUUID();

beforeAll(async () => {
  kafka = createKafkaClient(kafkaConfig, 'cli-proof-test');
  codec = AvroCodec.fromConfig(kafkaConfig);
  await ensureTopics(kafka, [
    { ...TOPICS.marketingPreferenceUpdated, name: topics.preferences },
    { ...TOPICS.identity, name: topics.identity },
  ]);
  await codec.register(topics.preferences, SCHEMAS[TOPICS.marketingPreferenceUpdated.valueSchema]);
  await codec.register(topics.identity, SCHEMAS[TOPICS.identity.valueSchema]);
  db = await openIdentityDatabase(testDatabaseUrl(), 'cli-proof-test', 2);
  keys = new DataKeyStore(
    db,
    new LocalMasterKeyProvider({
      activeKeyId: 'test-1',
      keys: { 'test-1': randomBytes(32).toString('base64') },
    }),
  );
  // What the resolver publishes for a consent fact carrying the person's IP address and user agent.
  const key = await keys.keyFor(contact);
  const sealed = (value: string, field: 'ip_address' | 'user_agent') => ({
    sealedValue: seal(key.key, Buffer.from(value), proofOfConsentAssociatedData(contact, field, eventId)),
    dataKeyId: key.keyId,
  });
  const event: MarketingPreferenceUpdated = {
    eventId,
    externalId: contact,
    channel: 'email',
    newStatus: 'subscribed',
    sourceOfChange: 'Preference Center',
    source: { system: 'optstream_api', providerEventRef: `ref-${eventId}` },
    occurredAt: Date.parse('2026-03-01T10:00:00Z'),
    recordedAt: Date.parse('2026-03-01T10:00:01Z'),
    causationId: randomUUID(),
    sealedIpAddress: sealed(IP, 'ip_address'),
    sealedUserAgent: sealed(USER_AGENT, 'user_agent'),
  };
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  await producer.send({
    topic: topics.preferences,
    acks: -1,
    messages: [{ key: contact, value: await codec.encode(topics.preferences, event) }],
  });
  await producer.disconnect();
});
afterAll(async () => {
  await db?.destroy();
});

const historyRows = async (withKeys: boolean): Promise<Record<string, unknown>[]> => {
  const stdout = new PassThrough();
  let out = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  await runHistory(parseHistoryArgs(['--contact', contact, '--format', 'json', '--quiet']), {
    kafka,
    codec,
    topics,
    stdout,
    stderr: new PassThrough(),
    ...(withKeys ? { openProof: proofOpener(keys) } : {}),
  });
  return out
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
};

describe('optstream history: proof of consent', () => {
  it('shows the IP address and user agent opened while the key exists, sealed without keys, erased after erasure', async () => {
    const pick = (rows: Record<string, unknown>[]) =>
      rows.map((r) => [r['eventId'], r['ipAddress'], r['userAgent']]);
    expect(pick(await historyRows(false))).toEqual([[eventId, SEALED, SEALED]]);
    expect(pick(await historyRows(true))).toEqual([[eventId, IP, USER_AGENT]]);
    expect(await keys.destroy(contact)).toBe(true);
    expect(pick(await historyRows(true))).toEqual([[eventId, ERASED, ERASED]]);
  });
});
