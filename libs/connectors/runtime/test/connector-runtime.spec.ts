import { randomBytes, randomUUID } from 'node:crypto';
import { SCHEMAS, TOPICS, type ContactPreferencesState, type DeadLetter } from '@optstream/contracts';
import { AvroCodec, createKafkaClient, EventPublisher } from '@optstream/kafka';
import { tailTopic, testDatabaseUrl, testKafkaConfig, uniqueName, waitFor } from '@optstream/testing';
import { loadConnectorConfig, startConnectorRuntime, type ConnectorRuntime } from '../src';
import { ScriptedProvider } from './scripted-adapter';

jest.setTimeout(90_000);

const state = (
  externalId: string,
  version: number,
  email: 'subscribed' | 'unsubscribed',
  sms: 'subscribed' | 'unsubscribed' = 'subscribed',
): ContactPreferencesState => ({
  externalId,
  version,
  channels: [
    {
      channel: 'email',
      status: email,
      occurredAt: 1_767_225_600_000 + version,
      eventId: `e${version}`,
      sourceOfChange: 'Test',
    },
    { channel: 'sms', status: sms, occurredAt: 1_767_225_600_000, eventId: 'e0', sourceOfChange: 'Test' },
  ],
  updatedAt: 1_767_225_600_000 + version,
  causationId: `evt-${externalId}-${version}`,
});

describe('connector runtime against real Kafka and Postgres (scripted provider)', () => {
  const stateTopic = uniqueName('state');
  const deadLetterTopic = uniqueName('connectors-dlq');
  const braze = new ScriptedProvider('braze', 2);
  const sendgrid = new ScriptedProvider('sendgrid', 50);
  const kafkaConfig = testKafkaConfig();
  let runtime: ConnectorRuntime;
  let publisher: EventPublisher;
  let codec: AvroCodec;

  beforeAll(async () => {
    const config = loadConnectorConfig('email', {
      ...process.env,
      DATABASE_URL: testDatabaseUrl(),
      OPTSTREAM_MASTER_KEYS: `test=${randomBytes(32).toString('base64')}`,
      STATE_TOPIC: stateTopic,
      DEAD_LETTER_TOPIC: deadLetterTopic,
      CONSUMER_GROUP: uniqueName('connector'),
      TOPIC_PARTITIONS: '3',
      PARK_RETRY_BASE_MS: '1',
      PARK_RETRY_MAX_MS: '1',
      PARK_MAX_ATTEMPTS: '3',
      // The test drives parked retries itself, so the timer must not race it.
      PARKED_POLL_INTERVAL_MS: '3600000',
      PORT: '0',
      LOG_LEVEL: 'error',
    });
    runtime = await startConnectorRuntime({ channel: 'email', config, adapters: [braze, sendgrid] });
    codec = AvroCodec.fromConfig(kafkaConfig);
    await codec.register(stateTopic, SCHEMAS[TOPICS.contactPreferencesState.valueSchema]);
    publisher = new EventPublisher(createKafkaClient(kafkaConfig, 'connector-test'), codec, {});
    await publisher.connect();
  });
  afterAll(async () => {
    await publisher?.disconnect();
    await runtime?.close();
  });

  const publish = (...states: ContactPreferencesState[]) =>
    publisher.publish(
      stateTopic,
      states.map((s) => ({ key: s.externalId, value: s, eventId: s.causationId })),
    );

  it('sends every provider the newest state of each contact, in the provider batch size', async () => {
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    await publish(...ids.map((id) => state(id, 1, 'unsubscribed')));
    await waitFor(
      () => ids.every((id) => braze.sentTo(id).length === 1 && sendgrid.sentTo(id).length === 1),
      {
        description: 'all three contacts delivered to both providers',
      },
    );
    expect(Math.max(...braze.calls.map((c) => c.length))).toBeLessThanOrEqual(2);
    expect(braze.sentTo(ids[0]!)[0]?.channels).toEqual({ email: 'unsubscribed', sms: 'subscribed' });
  });

  it('skips a redelivered or unchanged state, and never sends an older version after a newer one', async () => {
    const id = randomUUID();
    const barrier = randomUUID();
    await publish(state(id, 2, 'unsubscribed'));
    await waitFor(() => braze.sentTo(id).length === 1, { description: 'first delivery' });
    // Same version again (a redelivery), an older version, and a newer one whose consent is unchanged.
    await publish(state(id, 2, 'unsubscribed'), state(id, 1, 'subscribed'), state(id, 3, 'unsubscribed'));
    await publish(state(barrier, 1, 'subscribed'));
    // Same key → same partition: once the barrier's partition-mates are done... the barrier may sit on
    // another partition, so wait on the delivery log instead: version 3 recorded without a send.
    await waitFor(
      async () =>
        (
          await runtime.db.query(
            `SELECT 1 FROM connectors.deliveries WHERE connector = 'connector-email' AND external_id = $1 AND version = 3`,
            [id],
          )
        ).length === 2,
      { description: 'version 3 recorded for both providers' },
    );
    expect(braze.sentTo(id).map((c) => c.version)).toEqual([2]);
  });

  it('parks a contact that keeps failing while the others flow, then delivers it when the provider recovers', async () => {
    const poison = randomUUID();
    const healthy = randomUUID();
    braze.answer = (c) =>
      c.externalId === poison ? { kind: 'retry', reason: 'HTTP 503' } : { kind: 'delivered' };
    await publish(state(poison, 1, 'unsubscribed'), state(healthy, 1, 'unsubscribed'));
    await waitFor(() => braze.sentTo(healthy).length === 1, { description: 'healthy contact delivered' });
    const parked = await waitFor(
      async () =>
        (
          await runtime.db.query(
            `SELECT attempts FROM connectors.parked WHERE provider = 'braze' AND external_id = $1`,
            [poison],
          )
        )[0] as { attempts: number } | undefined,
      { description: 'poison contact parked' },
    );
    expect(parked.attempts).toBe(1);
    // SendGrid is not affected by Braze's trouble. Its delivery runs side by side with Braze's and may
    // still be under way when Braze's contact is parked: wait for its recorded delivery.
    await waitFor(
      async () =>
        (
          await runtime.db.query(
            `SELECT 1 FROM connectors.deliveries WHERE provider = 'sendgrid' AND external_id = $1`,
            [poison],
          )
        ).length === 1,
      { description: 'poison contact delivered to SendGrid' },
    );
    expect(sendgrid.sentTo(poison)).toHaveLength(1);

    braze.answer = () => ({ kind: 'delivered' });
    await runtime.retryParkedNow();
    expect(braze.sentTo(poison).map((c) => c.version)).toEqual([1, 1]);
    // The gauge is per provider: nothing left parked for either.
    const gauge = (await runtime.metrics.parked.get()).values;
    expect(gauge.map((v) => [v.labels.provider, v.value]).sort()).toEqual([
      ['braze', 0],
      ['sendgrid', 0],
    ]);
    const left = await runtime.db.query(`SELECT 1 FROM connectors.parked WHERE external_id = $1`, [poison]);
    expect(left).toHaveLength(0);
  });

  it('a newer state supersedes a parked one: the parked older state is never sent afterwards', async () => {
    const id = randomUUID();
    braze.answer = () => ({ kind: 'retry', reason: 'HTTP 429', retryAfterMs: 1 });
    await publish(state(id, 1, 'subscribed'));
    await waitFor(
      async () =>
        (await runtime.db.query(`SELECT 1 FROM connectors.parked WHERE external_id = $1`, [id])).length === 1,
      { description: 'version 1 parked' },
    );
    braze.answer = () => ({ kind: 'delivered' });
    await publish(state(id, 2, 'unsubscribed'));
    await waitFor(() => braze.sentTo(id).some((c) => c.version === 2), {
      description: 'version 2 delivered',
    });
    await runtime.retryParkedNow();
    expect(braze.sentTo(id).map((c) => c.version)).toEqual([1, 2]);
  });

  it('dead-letters at once what the provider refuses, and after the last parked attempt what keeps failing', async () => {
    const refused = randomUUID();
    const failing = randomUUID();
    const dlq = await tailTopic(kafkaConfig.KAFKA_BROKERS, deadLetterTopic);
    try {
      braze.answer = (c) =>
        c.externalId === refused
          ? { kind: 'rejected', reason: 'HTTP 400 invalid external_id', status: 400 }
          : c.externalId === failing
            ? { kind: 'retry', reason: 'HTTP 500' }
            : { kind: 'delivered' };
      await publish(state(refused, 1, 'unsubscribed'), state(failing, 1, 'unsubscribed'));
      await waitFor(
        async () =>
          (await runtime.db.query(`SELECT 1 FROM connectors.parked WHERE external_id = $1`, [failing]))
            .length === 1,
        { description: 'failing contact parked' },
      );
      await runtime.retryParkedNow();
      await runtime.retryParkedNow();
      const letters = await Promise.all(
        (await dlq.until(() => true, 2)).map((m) => codec.decode<DeadLetter>(m.value)),
      );
      const byCode = Object.fromEntries(letters.map((l) => [l.errorCode, l]));
      expect(byCode['PROVIDER_REJECTED']?.reason).toContain(refused);
      expect(byCode['PROVIDER_RETRIES_EXHAUSTED']).toMatchObject({ attempts: 3, originalTopic: stateTopic });
      // The original state bytes travel with the dead letter.
      const original = await codec.decode<ContactPreferencesState>(
        byCode['PROVIDER_REJECTED']?.originalValue ?? null,
      );
      expect(original.externalId).toBe(refused);
      const left = await runtime.db.query(`SELECT 1 FROM connectors.parked WHERE external_id = $1`, [
        failing,
      ]);
      expect(left).toHaveLength(0);
    } finally {
      await dlq.stop();
      braze.answer = () => ({ kind: 'delivered' });
    }
  });

  it('a tombstone erases the contact at every provider that can delete by id, and records why not elsewhere', async () => {
    const id = randomUUID();
    await publish(state(id, 1, 'unsubscribed'));
    await waitFor(() => braze.sentTo(id).length === 1, { description: 'delivered before erasure' });
    const producer = createKafkaClient(kafkaConfig, 'connector-test-tombstone').producer();
    await producer.connect();
    await producer.send({ topic: stateTopic, messages: [{ key: id, value: null }] });
    await producer.disconnect();

    // The final state, not the providers' calls: the outcomes are recorded after the last call, and the
    // contact's delivery bookkeeping is dropped after that (reading earlier saw no rows in CI).
    const rows = await waitFor(
      async () => {
        const recorded: { provider: string; outcome: string }[] = await runtime.db.query(
          `SELECT provider, outcome FROM connectors.erasures WHERE external_id = $1 ORDER BY provider`,
          [id],
        );
        const left = await runtime.db.query(`SELECT 1 FROM connectors.deliveries WHERE external_id = $1`, [
          id,
        ]);
        return recorded.length === 2 && left.length === 0 ? recorded : undefined;
      },
      { description: 'both outcomes recorded and the deliveries forgotten' },
    );
    expect(rows).toEqual([
      { provider: 'braze', outcome: 'erased' },
      { provider: 'sendgrid', outcome: 'erased' },
    ]);
    expect(braze.erased).toContain(id);
    expect(sendgrid.erased).toContain(id);
  });
});
