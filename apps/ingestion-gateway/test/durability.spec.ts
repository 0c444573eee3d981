import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { TOPICS, type ContactInbound } from '@optstream/contracts';
import {
  freePort,
  freePorts,
  readWholeTopic,
  spawnService,
  waitFor,
  type ServiceProcess,
} from '@optstream/testing';
import {
  down,
  loadStackSettings,
  stackEndpoints,
  startKafkaAgain,
  stopKafka,
  up,
  type StackEndpoints,
  type StackSettings,
} from '@optstream/local-stack';
import { GatewayHarness } from './gateway-harness';

jest.setTimeout(300_000);
/** A gateway process compiles its TypeScript as it starts: minutes on a busy 2-core machine. */
const STARTUP_MS = 240_000;

/**
 * Rule 1 of docs/architecture.md under a broker outage, on a stack of its own (so stopping its broker
 * disturbs no other suite): stop Kafka, send 1,000 events, start Kafka — all 1,000 arrive, each exactly
 * once. Then the same with the gateway as its own process killed (-9) while the events wait in its spool.
 */
describe('durability: the broker goes away while webhooks keep coming', () => {
  const root = mkdtempSync(join(tmpdir(), 'optstream-durability-'));
  chmodSync(root, 0o755);
  // Ports free now, not fixed numbers: another checkout's suite (or a clean-clone run) may hold those.
  let settings: StackSettings;
  let endpoints: StackEndpoints;
  const quiet = () => undefined;
  let h: GatewayHarness;

  beforeAll(async () => {
    const [kafka, controller, registry, management, postgres] = (await freePorts(5)).map(String);
    settings = loadStackSettings({
      ...process.env,
      OPTSTREAM_STACK_DIR: root,
      OPTSTREAM_STACK_CACHE: resolve(__dirname, '../../../.stack/cache'),
      OPTSTREAM_KAFKA_PORT: kafka,
      OPTSTREAM_KAFKA_CONTROLLER_PORT: controller,
      OPTSTREAM_REGISTRY_PORT: registry,
      OPTSTREAM_REGISTRY_MANAGEMENT_PORT: management,
      OPTSTREAM_POSTGRES_PORT: postgres,
      OPTSTREAM_EXTERNAL_DATABASE_URL: '',
    });
    endpoints = stackEndpoints(settings);
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
    if (settings) await down(settings, quiet);
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

    // The whole topic (this stack's own, empty before): a copy published twice must be seen.
    const messages = await readWholeTopic([endpoints.kafkaBrokers], TOPICS.contactInbound.name, {
      timeoutMs: 60_000,
    });
    const ids = messages.map((m) => m.message.headers?.['optstream-event-id']?.toString());
    expect(messages).toHaveLength(1000);
    expect(new Set(ids).size).toBe(1000);
  });

  it('events spooled during an outage survive kill -9 of the gateway and are published once after its restart; a second gateway on that spool is refused', async () => {
    const env: NodeJS.ProcessEnv = {
      KAFKA_BROKERS: endpoints.kafkaBrokers,
      SCHEMA_REGISTRY_URL: endpoints.registryUrl,
      TOPIC_PARTITIONS: '3',
      OPTSTREAM_HASH_KEY: h.config.OPTSTREAM_HASH_KEY,
      SENDGRID_WEBHOOK_PUBLIC_KEY: h.config.SENDGRID_WEBHOOK_PUBLIC_KEY ?? '',
      SPOOL_DIR: mkdtempSync(join(tmpdir(), 'optstream-crash-spool-')),
      LOG_LEVEL: 'info',
    };
    const started: ServiceProcess[] = [];
    const gatewayProcess = async () => {
      const p = spawnService('ingestion-gateway', await freePort(), env);
      started.push(p);
      return p;
    };
    try {
      const gateway = await gatewayProcess();
      await gateway.ready(undefined, STARTUP_MS);

      // A second replica given the same spool directory stops at start, saying why.
      const replica = await gatewayProcess();
      await expect(replica.ready(undefined, STARTUP_MS)).rejects.toThrow(/exited/);
      expect((await replica.terminate()).code).not.toBe(0);
      expect(replica.output()).toContain('two gateways cannot share a spool directory');

      await stopKafka(settings);
      const run = randomBytes(4).toString('hex');
      const events = Array.from({ length: 200 }, (_, i) => ({
        email: `crash.${run}.${i}@example.com`,
        timestamp: 1_767_225_600 + i,
        event: 'unsubscribe',
        sg_event_id: `${run}-${i}`,
      }));
      for (let i = 0; i < events.length; i += 50) {
        const body = JSON.stringify(events.slice(i, i + 50));
        const response = await fetch(`${gateway.url}/webhooks/sendgrid`, {
          method: 'POST',
          body,
          headers: h.sendgridHeaders(body),
        });
        expect(response.status).toBe(200);
      }
      expect(await spoolDepth(gateway.url)).toBe(200);
      expect((await gateway.terminate('SIGKILL')).signal).toBe('SIGKILL');

      await startKafkaAgain(settings, quiet);
      const restarted = await gatewayProcess();
      await restarted.ready(undefined, STARTUP_MS);
      await waitFor(async () => (await spoolDepth(restarted.url)) === 0, {
        timeoutMs: 120_000,
        description: 'the restarted gateway to drain the spool it recovered',
      });

      const refs = await providerRefsOnTopic(TOPICS.contactInbound.name);
      const ours = refs.filter((ref) => ref.startsWith(`${run}-`));
      expect(ours).toHaveLength(200);
      expect(new Set(ours)).toEqual(new Set(events.map((e) => e.sg_event_id)));
    } finally {
      for (const p of started) await p.terminate('SIGKILL');
      rmSync(env['SPOOL_DIR'] ?? '', { recursive: true, force: true });
    }
  }, 900_000);

  /** Every message now on `topic` (up to its end offsets), as the providerEventRef it carries. */
  async function providerRefsOnTopic(topic: string): Promise<string[]> {
    const messages = await readWholeTopic([endpoints.kafkaBrokers], topic, { timeoutMs: 60_000 });
    const values = await Promise.all(messages.map((m) => h.codec.decode<ContactInbound>(m.message.value)));
    return values.map((v) => v.source.providerEventRef);
  }

  async function spoolDepth(url = h.url('')): Promise<number> {
    const metrics = await (await fetch(`${url}/metrics`)).text();
    const match = /ingestion_spool_depth\{[^}]*\} (\d+)/.exec(metrics);
    return Number(match?.[1] ?? NaN);
  }
});
