import { randomBytes, randomUUID } from 'node:crypto';
import { SCHEMAS, TOPICS, type ContactPreferencesState } from '@optstream/contracts';
import { createProvider } from '@optstream/connectors-providers';
import { AvroCodec, createKafkaClient, EventPublisher } from '@optstream/kafka';
import { startTracing } from '@optstream/observability';
import { startProviderSimulators, type ProviderSimulators } from '@optstream/provider-simulators';
import { testDatabaseUrl, testKafkaConfig, uniqueName, waitFor } from '@optstream/testing';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-node';
import { loadConnectorConfig, startConnectorRuntime, type ConnectorRuntime } from '../src';

jest.setTimeout(60_000);

/**
 * The last hop of "one trace from the webhook to every provider call": a state message that carries a
 * `traceparent` header reaches a real adapter's HTTP requests (against the provider simulator) in the
 * same trace, each request a client span under a per-provider deliver span.
 */
describe('connector runtime: trace context from the state message to the provider request', () => {
  const exporter = new InMemorySpanExporter();
  const tracing = startTracing('connector-tracing-test', { exporter, env: {} });
  const stateTopic = uniqueName('state-traced');
  const kafkaConfig = testKafkaConfig();
  let sims: ProviderSimulators;
  let runtime: ConnectorRuntime;
  let publisher: EventPublisher;

  beforeAll(async () => {
    sims = await startProviderSimulators({ port: 0 });
    const config = loadConnectorConfig('email', {
      ...process.env,
      DATABASE_URL: testDatabaseUrl(),
      OPTSTREAM_MASTER_KEYS: `test=${randomBytes(32).toString('base64')}`,
      STATE_TOPIC: stateTopic,
      DEAD_LETTER_TOPIC: uniqueName('connectors-dlq-traced'),
      CONSUMER_GROUP: uniqueName('connector-traced'),
      TOPIC_PARTITIONS: '1',
      PARKED_POLL_INTERVAL_MS: '3600000', // the test drives parked retries itself
      PARK_RETRY_BASE_MS: '1',
      PARK_RETRY_MAX_MS: '1',
      PARK_MAX_ATTEMPTS: '1000',
      PORT: '0',
      LOG_LEVEL: 'error',
    });
    const braze = createProvider({
      provider: 'braze',
      apiKey: sims.credentials.brazeApiKey,
      baseUrl: sims.baseUrl('braze'),
      // Fail fast and recover fast while Braze is faulted: two quick attempts, a 100 ms breaker cool-down.
      retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 10 },
      circuit: { coolDownMs: 100 },
    });
    runtime = await startConnectorRuntime({ channel: 'email', config, adapters: [braze] });
    const codec = AvroCodec.fromConfig(kafkaConfig);
    await codec.register(stateTopic, SCHEMAS[TOPICS.contactPreferencesState.valueSchema]);
    publisher = new EventPublisher(createKafkaClient(kafkaConfig, 'connector-tracing-test'), codec, {});
    await publisher.connect();
  });
  afterAll(async () => {
    await publisher?.disconnect();
    await runtime?.close();
    await sims?.close();
    await tracing.shutdown();
  });

  const traced = () => {
    const traceId = randomBytes(16).toString('hex');
    return { traceId, traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` };
  };
  const unsubscribed = (externalId: string): ContactPreferencesState => ({
    externalId,
    version: 1,
    channels: [
      {
        channel: 'email',
        status: 'unsubscribed',
        occurredAt: Date.now(),
        eventId: 'e1',
        sourceOfChange: 'Email Unsubscribe Link',
      },
    ],
    updatedAt: Date.now(),
    causationId: `evt-${externalId}`,
  });
  const brazeCallsFor = (externalId: string) =>
    sims.calls('braze').filter((c) => JSON.stringify(c.body ?? '').includes(externalId));

  it("a parked delivery keeps its trace: the retry that finally delivers it is in the state message's trace", async () => {
    const externalId = randomUUID();
    const { traceId, traceparent } = traced();
    sims.setFault('braze', { kind: 'server-error', status: 503 });
    try {
      const state = unsubscribed(externalId);
      await publisher.publish(stateTopic, [
        { key: externalId, value: state, eventId: state.causationId, traceparent },
      ]);
      const parked = await waitFor(
        async () =>
          (
            (await runtime.db.query(
              `SELECT original_traceparent FROM connectors.parked WHERE provider = 'braze' AND external_id = $1`,
              [externalId],
            )) as { original_traceparent: string | null }[]
          )[0],
        { timeoutMs: 30_000, description: 'the delivery parked while Braze answers 503' },
      );
      expect(parked.original_traceparent).toBe(traceparent);
    } finally {
      sims.setFault('braze', null);
    }
    // Retried from the parking lot (the breaker may need a few passes to let a call through).
    await waitFor(
      async () => {
        await runtime.retryParkedNow();
        return sims.state.braze.user(externalId) !== undefined;
      },
      { timeoutMs: 30_000, description: 'the parked delivery retried and delivered' },
    );
    const delivered = brazeCallsFor(externalId).filter((c) => c.status >= 200 && c.status < 300);
    expect(delivered.length).toBeGreaterThan(0);
    for (const call of delivered) expect(call.headers['traceparent']?.split('-')[1]).toBe(traceId);
  });

  it('sends the provider a traceparent in the trace of the state message, from a span per call', async () => {
    const externalId = randomUUID();
    const { traceId, traceparent } = traced();
    const state = unsubscribed(externalId);
    await publisher.publish(stateTopic, [
      { key: externalId, value: state, eventId: state.causationId, traceparent },
    ]);

    // The simulator holds the user before the connector has its answer; the deliver span ends only
    // after that, so wait for the span as well as the calls.
    const { calls, spans } = await waitFor(
      () => {
        const mine = brazeCallsFor(externalId);
        const finished = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
        const delivered = mine.length > 0 && sims.state.braze.user(externalId) !== undefined;
        return delivered && finished.some((s) => s.name === 'braze deliver')
          ? { calls: mine, spans: finished }
          : undefined;
      },
      { timeoutMs: 30_000, description: 'the state delivered to the Braze simulator and its span ended' },
    );
    for (const call of calls) expect(call.headers['traceparent']?.split('-')[1]).toBe(traceId);

    // deliver span (child of the message's span) → one client span per HTTP request, whose id went out.
    const deliver = spans.find((s) => s.name === 'braze deliver');
    expect(deliver?.parentSpanContext?.spanId).toBe(traceparent.split('-')[2]);
    const httpSpanIds = spans
      .filter((s) => s.parentSpanContext?.spanId === deliver?.spanContext().spanId)
      .map((s) => s.spanContext().spanId);
    for (const call of calls) expect(httpSpanIds).toContain(call.headers['traceparent']?.split('-')[2]);
  });
});
