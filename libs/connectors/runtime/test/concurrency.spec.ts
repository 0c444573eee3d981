import { randomBytes, randomUUID } from 'node:crypto';
import { SCHEMAS, TOPICS, type ContactPreferencesState } from '@optstream/contracts';
import { AvroCodec, createKafkaClient, EventPublisher } from '@optstream/kafka';
import { testDatabaseUrl, testKafkaConfig, uniqueName, waitFor } from '@optstream/testing';
import { loadConnectorConfig, startConnectorRuntime, type ConnectorRuntime } from '../src';
import { ScriptedProvider } from './scripted-adapter';

jest.setTimeout(120_000);

/** Email and SMS statuses of versions 1 to 4: all four different, so no version is skipped as unchanged. */
const STATUSES = [
  ['unsubscribed', 'subscribed'],
  ['subscribed', 'unsubscribed'],
  ['unsubscribed', 'unsubscribed'],
  ['subscribed', 'subscribed'],
] as const;

const state = (externalId: string, version: number): ContactPreferencesState => {
  const [email, sms] = STATUSES[(version - 1) % STATUSES.length]!;
  const channel = (name: 'email' | 'sms', status: 'subscribed' | 'unsubscribed') => ({
    channel: name,
    status,
    occurredAt: 1_767_225_600_000 + version,
    eventId: `e${version}`,
    sourceOfChange: 'Test',
  });
  return {
    externalId,
    version,
    channels: [channel('email', email), channel('sms', sms)],
    updatedAt: 1_767_225_600_000 + version,
    causationId: `evt-${externalId}-${version}`,
  };
};

/** Versions in the order the provider received them, per contact. */
const versionsSent = (provider: ScriptedProvider, id: string) => provider.sentTo(id).map((c) => c.version);

describe('connector runtime: partitions and provider batches in flight side by side (real Kafka and Postgres)', () => {
  const stateTopic = uniqueName('state-concurrency');
  // One call per partition batch (maxBatch 100): calls in flight together can only be different partitions.
  const wide = new ScriptedProvider('braze', 100, 8);
  // Many small batches per partition batch, at most 3 in flight.
  const narrow = new ScriptedProvider('sendgrid', 2, 3);
  const kafkaConfig = testKafkaConfig();
  let runtime: ConnectorRuntime;
  let publisher: EventPublisher;

  beforeAll(async () => {
    const config = loadConnectorConfig('email', {
      ...process.env,
      DATABASE_URL: testDatabaseUrl(),
      OPTSTREAM_MASTER_KEYS: `test=${randomBytes(32).toString('base64')}`,
      STATE_TOPIC: stateTopic,
      DEAD_LETTER_TOPIC: uniqueName('connectors-dlq-concurrency'),
      CONSUMER_GROUP: uniqueName('connector-concurrency'),
      TOPIC_PARTITIONS: '6',
      PARTITIONS_CONCURRENCY: '6',
      PARKED_POLL_INTERVAL_MS: '3600000',
      PORT: '0',
      LOG_LEVEL: 'error',
    });
    runtime = await startConnectorRuntime({ channel: 'email', config, adapters: [wide, narrow] });
    const codec = AvroCodec.fromConfig(kafkaConfig);
    await codec.register(stateTopic, SCHEMAS[TOPICS.contactPreferencesState.valueSchema]);
    publisher = new EventPublisher(createKafkaClient(kafkaConfig, 'connector-concurrency-test'), codec, {});
    await publisher.connect();
  });
  afterAll(async () => {
    await publisher?.disconnect();
    await runtime?.close();
  });

  const publish = (states: ContactPreferencesState[]) =>
    publisher.publish(
      stateTopic,
      states.map((s) => ({ key: s.externalId, value: s, eventId: s.causationId })),
    );

  const recordedAt = async (ids: readonly string[], version: number): Promise<number> => {
    const rows: unknown[] = await runtime.db.query(
      `SELECT 1 FROM connectors.deliveries
        WHERE connector = 'connector-email' AND external_id = ANY($1::text[]) AND version = $2`,
      [ids, version],
    );
    return rows.length;
  };

  it('overlaps partitions and batches within each provider limit, and never sends a contact two versions out of order', async () => {
    wide.delayMs = 40;
    narrow.delayMs = 40;
    const ids = Array.from({ length: 40 }, () => randomUUID());
    // Each version in its own publish, so one contact's versions arrive in several batches.
    for (let version = 1; version <= 4; version += 1) await publish(ids.map((id) => state(id, version)));
    await waitFor(async () => (await recordedAt(ids, 4)) === 2 * ids.length, {
      timeoutMs: 90_000,
      description: 'version 4 recorded for every contact at both providers',
    });

    for (const provider of [wide, narrow]) {
      for (const id of ids) {
        const sent = versionsSent(provider, id);
        expect(sent[sent.length - 1]).toBe(4);
        // Strictly increasing: no version twice, none after a newer one.
        expect(sent).toEqual([...sent].sort((a, b) => a - b).filter((v, i, all) => all.indexOf(v) === i));
      }
    }
    expect(wide.mostInFlight).toBeGreaterThan(1);
    expect(narrow.mostInFlight).toBeGreaterThan(1);
    expect(narrow.mostInFlight).toBeLessThanOrEqual(3);
  });

  it('re-delivers a batch that failed part-way (as after a crash) without sending any recorded contact again', async () => {
    wide.delayMs = 0;
    narrow.delayMs = 20;
    const ids = Array.from({ length: 30 }, () => randomUUID());
    const victim = ids[ids.length - 1]!;
    let failed = false;
    narrow.failCall = (batch) => {
      if (failed || !batch.some((c) => c.externalId === victim)) return false;
      failed = true;
      return true;
    };
    try {
      await publish(ids.map((id) => state(id, 1)));
      await waitFor(async () => (await recordedAt(ids, 1)) === 2 * ids.length, {
        timeoutMs: 60_000,
        description: 'every contact recorded at both providers',
      });
      expect(failed).toBe(true);
      for (const id of ids) {
        expect(versionsSent(narrow, id)).toEqual([1]);
        expect(versionsSent(wide, id)).toEqual([1]);
      }
    } finally {
      narrow.failCall = () => false;
    }
  });
});
