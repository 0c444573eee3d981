import autocannon from 'autocannon';
import Fastify from 'fastify';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { TOPICS } from '@optstream/contracts';
import { kafkaConfigSchema, loadConfig } from '@optstream/config';
import { createKafkaClient, EventPublisher, AvroCodec, provisionContracts } from '@optstream/kafka';
import { loadGatewayConfig } from '../apps/ingestion-gateway/src/config/gateway-config';
import { startGateway } from '../apps/ingestion-gateway/src/create-gateway';
import { loadStackSettings, up } from '../tools/stack';
import { describeMachine } from './machine';

/**
 * Gateway throughput and latency, side by side in one run with a bare Fastify handler that only does the
 * Kafka produce (same producer settings, acks=all). The ratio gateway/bare is our overhead.
 */
const DURATION_S = Number(process.env['BENCH_DURATION_S'] ?? 15);
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 32);
const BATCH_SIZE = 50;
const WRITE_KEY = 'wk_bench';

interface Scenario {
  readonly name: string;
  readonly eventsPerRequest: number;
  readonly result: autocannon.Result;
}

function trackEvent(i: number, run: string): object {
  return {
    type: 'track',
    event: 'Marketing Preference Updated',
    userId: `bench-${run}-${i % 10_000}`,
    messageId: `${run}-${i}-${randomBytes(4).toString('hex')}`,
    timestamp: new Date(1_767_225_600_000 + i).toISOString(),
    properties: {
      channel: ['email', 'sms', 'push'][i % 3],
      new_status: i % 2 ? 'subscribed' : 'unsubscribed',
      source_of_change: 'Benchmark',
    },
  };
}

async function load(
  url: string,
  body: () => string,
  headers: Record<string, string>,
): Promise<autocannon.Result> {
  return autocannon({
    url,
    method: 'POST',
    connections: CONNECTIONS,
    duration: DURATION_S,
    headers,
    requests: [{ setupRequest: (req) => ({ ...req, body: body() }) }],
  });
}

async function main(): Promise<void> {
  const endpoints = await up(loadStackSettings(), () => undefined);
  const kafkaConfig = loadConfig('bench', kafkaConfigSchema, {
    KAFKA_BROKERS: endpoints.kafkaBrokers,
    SCHEMA_REGISTRY_URL: endpoints.registryUrl,
  });
  const run = randomBytes(3).toString('hex');
  const auth = {
    authorization: `Basic ${Buffer.from(`${WRITE_KEY}:`).toString('base64')}`,
    'content-type': 'application/json',
  };

  // Bare baseline: parse JSON, encode nothing special, produce raw bytes with acks=all, answer 200.
  const kafka = createKafkaClient(kafkaConfig, 'bench-bare');
  const codec = AvroCodec.fromConfig(kafkaConfig);
  // The baseline writes its raw JSON to a topic of its own, never to the contract's topics.
  const bareTopic = {
    ...TOPICS.contactInbound,
    name: 'bench.bare-produce.v1',
    configs: { 'retention.ms': '3600000' },
  };
  await provisionContracts(kafka, codec, [TOPICS.contactInbound, bareTopic]);
  const bare = new EventPublisher(kafka, codec, {});
  await bare.connect();
  const fastify = Fastify();
  fastify.post('/v1/:kind', async (request) => {
    const body = request.body as { batch?: object[] };
    const items = body.batch ?? [body];
    await bare.publishRaw(
      bareTopic.name,
      items.map((item) => {
        const json = JSON.stringify(item);
        return { key: createHash('sha256').update(json).digest('base64url'), value: Buffer.from(json) };
      }),
    );
    return { success: true };
  });
  await fastify.listen({ port: 0, host: '127.0.0.1' });
  const bareUrl = `http://127.0.0.1:${(fastify.server.address() as { port: number }).port}`;

  const gateway = await startGateway(
    loadGatewayConfig({
      KAFKA_BROKERS: endpoints.kafkaBrokers,
      SCHEMA_REGISTRY_URL: endpoints.registryUrl,
      PORT: '0',
      HOST: '127.0.0.1',
      OPTSTREAM_HASH_KEY: randomBytes(32).toString('base64'),
      SEGMENT_WRITE_KEYS: `${WRITE_KEY}=bench`,
      SPOOL_DIR: resolve(__dirname, '../.stack/spool/bench'),
      LOG_LEVEL: 'error',
    }),
  );

  let i = 0;
  const single = () => JSON.stringify(trackEvent(i++, run));
  const batch = () =>
    JSON.stringify({ batch: Array.from({ length: BATCH_SIZE }, () => trackEvent(i++, run)) });
  const scenarios: Scenario[] = [];
  for (const [name, url, body, eventsPerRequest] of [
    ['bare: single track', `${bareUrl}/v1/track`, single, 1],
    ['gateway: single track', `${gateway.url}/v1/track`, single, 1],
    ['bare: batch of 50', `${bareUrl}/v1/batch`, batch, BATCH_SIZE],
    ['gateway: batch of 50', `${gateway.url}/v1/batch`, batch, BATCH_SIZE],
  ] as const) {
    console.log(`running ${name} for ${DURATION_S} s with ${CONNECTIONS} connections…`);
    scenarios.push({ name, eventsPerRequest, result: await load(url, body, auth) });
  }
  await gateway.close();
  await fastify.close();
  await bare.disconnect();
  report(scenarios);
}

function report(scenarios: Scenario[]): void {
  const rows = scenarios.map((s) => {
    const ok = s.result.requests.total - s.result.non2xx - s.result.errors;
    return {
      scenario: s.name,
      requestsPerSecond: Math.round(s.result.requests.average),
      eventsPerSecond: Math.round(s.result.requests.average * s.eventsPerRequest),
      p50ms: s.result.latency.p50,
      p97_5ms: s.result.latency.p97_5,
      p99ms: s.result.latency.p99,
      non2xx: s.result.non2xx,
      errors: s.result.errors,
      ok,
    };
  });
  const ratio = (gw: string, base: string) => {
    const g = rows.find((r) => r.scenario === gw)?.eventsPerSecond ?? 0;
    const b = rows.find((r) => r.scenario === base)?.eventsPerSecond ?? 1;
    return Number((g / b).toFixed(2));
  };
  const result = {
    benchmark: 'ingestion-gateway',
    at: new Date().toISOString(),
    machine: describeMachine(),
    settings: { durationSeconds: DURATION_S, connections: CONNECTIONS, batchSize: BATCH_SIZE },
    rows,
    ratios: {
      single: ratio('gateway: single track', 'bare: single track'),
      batch: ratio('gateway: batch of 50', 'bare: batch of 50'),
    },
  };
  const dir = resolve(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'gateway.json'), `${JSON.stringify(result, null, 2)}\n`);
  const table = [
    `# ingestion-gateway benchmark`,
    '',
    `Measured ${result.at} on ${result.machine.cpu} (${result.machine.cores} cores, ${result.machine.memoryGiB} GiB, Node ${result.machine.node}); ${DURATION_S} s per scenario, ${CONNECTIONS} connections, Kafka acks=all on the local single-node stack.`,
    '',
    '| scenario | req/s | events/s | p50 ms | p97.5 ms | p99 ms | non-2xx | errors |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.scenario} | ${r.requestsPerSecond} | ${r.eventsPerSecond} | ${r.p50ms} | ${r.p97_5ms} | ${r.p99ms} | ${r.non2xx} | ${r.errors} |`,
    ),
    '',
    `Overhead ratio (gateway ÷ bare produce, events/s): single ${result.ratios.single}, batch ${result.ratios.batch}.`,
    '',
  ].join('\n');
  writeFileSync(join(dir, 'gateway.md'), table);
  console.log(`\n${table}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
