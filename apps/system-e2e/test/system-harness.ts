import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { kafkaConfigSchema, loadConfig, type KafkaConfig } from '@optstream/config';
import { createKafkaClient, AvroCodec, provisionContracts } from '@optstream/kafka';
import { down, loadStackSettings, stackEndpoints, up, type StackSettings } from '@optstream/local-stack';
import {
  generateSystemSecrets,
  createLocalSystem,
  LocalSystem,
  SYSTEM_SERVICES,
  type ServiceName,
  type SystemSecrets,
} from '@optstream/local-system';
import { SimulatorClient, WebhookSender } from '@optstream/provider-simulators';
import { freePorts } from '@optstream/testing';

/**
 * The whole optstream system for the end-to-end and fault suites: a stack of its own (fresh topics,
 * restartable broker), the provider simulators and every service as its own process. Every port (the
 * stack's and each service's) is one that is free when the suite starts: suites run side by side, next to
 * a developer's `npm start`, other checkouts' stacks and clean-clone runs (fixed numbers collided there).
 */
export class SystemHarness {
  readonly root = mkdtempSync(join(tmpdir(), 'optstream-e2e-'));
  readonly secrets: SystemSecrets = generateSystemSecrets();
  /** Chosen by `start`. */
  ports!: Record<ServiceName, number>;
  /** Chosen by `start`. */
  stack!: StackSettings;
  system!: LocalSystem;
  kafka!: KafkaConfig;
  codec!: AvroCodec;
  simulators!: SimulatorClient;
  webhooks!: WebhookSender;

  constructor() {
    // mkdtemp makes a 0700 folder; PostgreSQL runs as its own user when we are root and must reach it.
    chmodSync(this.root, 0o755);
  }

  private async choosePorts(): Promise<void> {
    const free = await freePorts(SYSTEM_SERVICES.length + 5);
    const [kafka, controller, registry, management, postgres] = free.splice(0, 5).map(String);
    this.ports = Object.fromEntries(SYSTEM_SERVICES.map((s, i) => [s.name, free[i]])) as Record<
      ServiceName,
      number
    >;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      OPTSTREAM_STACK_DIR: this.root,
      OPTSTREAM_STACK_CACHE: resolve(__dirname, '../../../.stack/cache'),
      OPTSTREAM_KAFKA_PORT: kafka,
      OPTSTREAM_KAFKA_CONTROLLER_PORT: controller,
      OPTSTREAM_REGISTRY_PORT: registry,
      OPTSTREAM_REGISTRY_MANAGEMENT_PORT: management,
      OPTSTREAM_POSTGRES_PORT: postgres,
    };
    delete env['OPTSTREAM_EXTERNAL_DATABASE_URL'];
    this.stack = loadStackSettings(env);
  }

  get gatewayUrl(): string {
    return `http://127.0.0.1:${this.ports['ingestion-gateway']}`;
  }

  get readApiUrl(): string {
    return `http://127.0.0.1:${this.ports['preference-projector']}`;
  }

  get readApiKey(): string {
    return this.secrets.READ_API_KEYS.split(':')[0] ?? '';
  }

  get writeKey(): string {
    return this.secrets.SEGMENT_WRITE_KEYS.split('=')[0] ?? '';
  }

  async start(extra: Partial<Record<ServiceName, Record<string, string>>> = {}): Promise<void> {
    await this.choosePorts();
    const endpoints = await up(this.stack, () => undefined);
    this.kafka = loadConfig('e2e', kafkaConfigSchema, {
      KAFKA_BROKERS: endpoints.kafkaBrokers,
      SCHEMA_REGISTRY_URL: endpoints.registryUrl,
    });
    this.codec = AvroCodec.fromConfig(this.kafka);
    await provisionContracts(createKafkaClient(this.kafka, 'optstream-e2e'), this.codec);
    const { system, simulatorsUrl } = createLocalSystem({
      stack: {
        kafkaBrokers: endpoints.kafkaBrokers,
        registryUrl: endpoints.registryUrl,
        databaseUrl: endpoints.databaseUrl,
      },
      secrets: this.secrets,
      ports: this.ports,
      logDir: this.stack.logDir,
      spoolDir: join(this.root, 'spool'),
      // Faster parked retries than production: the fault suite waits for them.
      extra: {
        LOG_LEVEL: 'warn',
        PARK_RETRY_BASE_MS: '500',
        PARK_RETRY_MAX_MS: '5000',
        PARKED_POLL_INTERVAL_MS: '500',
      },
      extraFor: extra,
    });
    this.system = system;
    await this.system.start(SYSTEM_SERVICES.map((s) => s.name));
    this.simulators = new SimulatorClient(simulatorsUrl);
    this.webhooks = new WebhookSender({
      gatewayUrl: this.gatewayUrl,
      sendgridPrivateKey: this.secrets.SENDGRID_SIGNING_PRIVATE_KEY,
      twilioAuthToken: this.secrets.TWILIO_AUTH_TOKEN,
      twilioWebhookUrl: `${this.gatewayUrl}/webhooks/twilio/sms`,
      segmentWriteKey: this.writeKey,
      mailchimpSecret: this.secrets.MAILCHIMP_WEBHOOK_SECRET,
    });
  }

  async stop(): Promise<void> {
    await this.system?.stop();
    if (this.stack) await down(this.stack, () => undefined);
    // OPTSTREAM_E2E_KEEP=1 keeps the stack's data and every service's log for a post-mortem.
    if (process.env['OPTSTREAM_E2E_KEEP'] === '1') console.warn(`e2e: kept ${this.root}`);
    else rmSync(this.root, { recursive: true, force: true });
  }

  endpoints() {
    return stackEndpoints(this.stack);
  }

  /** The read API's view of a contact (null when unknown). */
  async contact(externalId: string): Promise<ContactView | null> {
    const res = await fetch(`${this.readApiUrl}/v1/contacts/${encodeURIComponent(externalId)}`, {
      headers: { 'x-api-key': this.readApiKey },
    });
    if (res.status === 404) return null;
    if (!res.ok) throw new Error(`read API answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as ContactView;
  }

  async lookup(by: 'email' | 'phone', value: string): Promise<ContactView | null> {
    const res = await fetch(`${this.readApiUrl}/v1/lookup`, {
      method: 'POST',
      body: JSON.stringify({ [by]: value }),
      headers: { 'x-api-key': this.readApiKey, 'content-type': 'application/json' },
    });
    if (res.status === 404) return null;
    if (!res.ok) throw new Error(`read API answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as ContactView;
  }

  async history(externalId: string): Promise<{ events: HistoryEntry[] }> {
    const res = await fetch(`${this.readApiUrl}/v1/contacts/${encodeURIComponent(externalId)}/history`, {
      headers: { 'x-api-key': this.readApiKey },
    });
    if (!res.ok) throw new Error(`read API answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as { events: HistoryEntry[] };
  }
}

interface ChannelView {
  readonly status: string;
  readonly occurredAt: string;
  readonly sourceOfChange: string;
}

export interface ContactView {
  readonly externalId: string;
  readonly version: number;
  readonly provisional: boolean;
  readonly mergedInto: string | null;
  readonly channels: Partial<Record<'email' | 'sms' | 'push', ChannelView | null>>;
}

export interface Evidence {
  readonly strength: string;
  readonly kind: string | null;
  readonly trust: string;
  readonly [field: string]: unknown;
}

export interface HistoryEntry {
  readonly eventId: string;
  readonly occurredAt: string;
  readonly channel: string;
  readonly status: string;
  readonly effect: string;
  readonly sourceOfChange: string;
  readonly topic: string | null;
  readonly occurredAtPrecision: string;
  readonly originalOccurredAt: string | null;
  readonly evidence: Evidence | null;
}
