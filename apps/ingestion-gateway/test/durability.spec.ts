import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { TOPICS } from '@optstream/contracts';
import { readTopic, waitFor } from '@optstream/testing';
import {
  down,
  loadStackSettings,
  stackEndpoints,
  startKafkaAgain,
  stopKafka,
  up,
} from '@optstream/local-stack';
import { GatewayHarness } from './gateway-harness';

jest.setTimeout(300_000);

/**
 * Rule 1 of docs/architecture.md under a broker outage, on a stack of its own (so stopping its broker disturbs no other suite):
 * stop Kafka, send 1,000 events, start Kafka — all 1,000 arrive, each exactly once.
 */
describe('durability: the broker goes away while webhooks keep coming', () => {
  const root = mkdtempSync(join(tmpdir(), 'optstream-durability-'));
  chmodSync(root, 0o755);
  const settings = loadStackSettings({
    ...process.env,
    OPTSTREAM_STACK_DIR: root,
    OPTSTREAM_STACK_CACHE: resolve(__dirname, '../../../.stack/cache'),
    OPTSTREAM_KAFKA_PORT: '29092',
    OPTSTREAM_KAFKA_CONTROLLER_PORT: '29093',
    OPTSTREAM_REGISTRY_PORT: '28081',
    OPTSTREAM_REGISTRY_MANAGEMENT_PORT: '29001',
    OPTSTREAM_POSTGRES_PORT: '55449',
    OPTSTREAM_EXTERNAL_DATABASE_URL: '',
  });
  const endpoints = stackEndpoints(settings);
  const quiet = () => undefined;
  let h: GatewayHarness;

  beforeAll(async () => {
    await up(settings, quiet);
    h = new GatewayHarness(
      {
        KAFKA_BROKERS: endpoints.kafkaBrokers,
        SCHEMA_REGISTRY_URL: endpoints.registryUrl,
        TOPIC_PARTITIONS: '3',
      },
      false,
    );
    await h.start();
  });

  afterAll(async () => {
    await h?.stop();
    await down(settings, quiet);
    rmSync(root, { recursive: true, force: true });
  });

  it('spools 1,000 accepted events during the outage and delivers each exactly once afterwards', async () => {
    await stopKafka(settings);
    const run = randomBytes(4).toString('hex');
    const events = Array.from({ length: 1000 }, (_, i) => ({
      email: `outage.${run}.${i}@example.com`,
      timestamp: 1_767_225_600 + i,
      event: 'unsubscribe',
      sg_event_id: `${run}-${i}`,
    }));
    for (let i = 0; i < events.length; i += 50) {
      const body = JSON.stringify(events.slice(i, i + 50));
      const response = await h.post('/webhooks/sendgrid', body, h.sendgridHeaders(body));
      // 2xx only because each event is fsync'd in the spool: Kafka is down.
      expect(response.status).toBe(200);
    }
    expect(h.gateway.runtime.inbound.isReady()).toBe(true);
    expect(await spoolDepth()).toBe(1000);

    await startKafkaAgain(settings, quiet);
    await waitFor(async () => (await spoolDepth()) === 0, {
      timeoutMs: 120_000,
      description: 'the spool to drain',
    });

    const messages = await readTopic([endpoints.kafkaBrokers], TOPICS.contactInbound.name, {
      count: 1000,
      timeoutMs: 60_000,
    });
    const ids = messages.map((m) => m.message.headers?.['optstream-event-id']?.toString());
    expect(messages).toHaveLength(1000);
    expect(new Set(ids).size).toBe(1000);
  });

  async function spoolDepth(): Promise<number> {
    const metrics = await (await fetch(h.url('/metrics'))).text();
    const match = /ingestion_spool_depth\{[^}]*\} (\d+)/.exec(metrics);
    return Number(match?.[1] ?? NaN);
  }
});
