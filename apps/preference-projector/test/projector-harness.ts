import { randomBytes, randomUUID } from 'node:crypto';
import {
  SCHEMAS,
  TOPICS,
  type ContactPreferencesState,
  type IdentityEvent,
  type MarketingPreferenceUpdated,
} from '@optstream/contracts';
import { AvroCodec, createKafkaClient, ensureTopics, EventPublisher } from '@optstream/kafka';
import {
  tailTopic,
  testDatabaseUrl,
  testKafkaConfig,
  uniqueName,
  waitFor,
  type TopicTail,
} from '@optstream/testing';
import type { KafkaMessage } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { loadProjectorConfig, type ProjectorConfig } from '../src/config/projector-config';
import { startProjector, type RunningProjector } from '../src/create-projector';
import { connectKafka } from '../src/projector-runtime';

export const READ_KEY = 'read-key-0123456789abcdef';
export const AUDIENCE_KEY = 'audience-key-0123456789abcdef';
export const ADMIN_KEY = 'admin-key-0123456789abcdef';

/**
 * A real projector on a free port against the real stack, isolated by name: its own topics (3
 * partitions each), consumer group and projection name, so suites never see each other's data.
 */
export class ProjectorHarness {
  readonly config: ProjectorConfig;
  readonly codec: AvroCodec;
  readonly hashKey = randomBytes(32);
  projector!: RunningProjector;
  states!: TopicTail;
  private producer!: EventPublisher;

  constructor(overrides: NodeJS.ProcessEnv = {}) {
    const kafka = testKafkaConfig();
    const id = uniqueName('pp');
    this.codec = AvroCodec.fromConfig(kafka);
    this.config = loadProjectorConfig({
      KAFKA_BROKERS: kafka.KAFKA_BROKERS.join(','),
      SCHEMA_REGISTRY_URL: kafka.SCHEMA_REGISTRY_URL,
      DATABASE_URL: testDatabaseUrl(),
      DATABASE_POOL_SIZE: '4',
      PORT: '0',
      HOST: '127.0.0.1',
      OPTSTREAM_HASH_KEY: this.hashKey.toString('base64'),
      READ_API_KEYS: `${READ_KEY}:read,${AUDIENCE_KEY}:audiences,${ADMIN_KEY}:admin`,
      PROJECTION_NAME: id,
      CONSUMER_GROUP: `${id}-group`,
      PREFERENCES_TOPIC: `${id}.mpu`,
      IDENTITY_TOPIC: `${id}.identity`,
      STATE_TOPIC: `${id}.state`,
      DEAD_LETTER_TOPIC: `${id}.dlq`,
      INBOUND_TOPIC: `${id}.inbound`,
      TOPIC_PARTITIONS: '3',
      LOG_LEVEL: 'warn',
      ...overrides,
    });
  }

  /** Creates the topics and registers their schemas (as the projector does), and a producer for tests. */
  async prepare(): Promise<void> {
    await connectKafka(this.config);
    // The gateway owns the inbound topic the erasure endpoint writes to: create it in its place.
    await ensureTopics(createKafkaClient(this.config, 'projector-test'), [
      { ...TOPICS.contactInbound, name: this.config.INBOUND_TOPIC },
    ]);
    await this.codec.register(
      this.config.PREFERENCES_TOPIC,
      SCHEMAS[TOPICS.marketingPreferenceUpdated.valueSchema],
    );
    await this.codec.register(this.config.IDENTITY_TOPIC, SCHEMAS[TOPICS.identity.valueSchema]);
    await this.codec.register(this.config.STATE_TOPIC, SCHEMAS[TOPICS.contactPreferencesState.valueSchema]);
    this.producer = new EventPublisher(createKafkaClient(this.config, 'projector-test'), this.codec, {});
    await this.producer.connect();
    this.states = await tailTopic(this.config.KAFKA_BROKERS, this.config.STATE_TOPIC);
  }

  async start(): Promise<void> {
    this.projector = await startProjector(this.config);
  }

  async stopProjector(): Promise<void> {
    await this.projector?.close();
  }

  async stop(): Promise<void> {
    await this.states?.stop();
    await this.producer?.disconnect();
    await this.stopProjector();
  }

  async publishPreferences(
    events: readonly MarketingPreferenceUpdated[],
    traceparent?: string,
  ): Promise<void> {
    await this.producer.publish(
      this.config.PREFERENCES_TOPIC,
      events.map((e) => ({ key: e.externalId, value: e, eventId: e.eventId, traceparent })),
    );
  }

  /** Bytes as they are, e.g. a record no Avro reader can decode. */
  async publishRaw(key: string, value: Buffer): Promise<void> {
    await this.producer.publishRaw(this.config.PREFERENCES_TOPIC, [{ key, value }]);
  }

  async publishIdentity(events: readonly IdentityEvent[]): Promise<void> {
    await this.producer.publish(
      this.config.IDENTITY_TOPIC,
      events.map((e) => ({ key: e.externalId, value: e, eventId: e.eventId })),
    );
  }

  /** Decoded state messages for one contact, in arrival order. */
  async statesOf(externalId: string): Promise<ContactPreferencesState[]> {
    const mine = this.states.messages.filter((m: KafkaMessage) => m.key?.toString() === externalId);
    return Promise.all(mine.map((m) => this.codec.decode<ContactPreferencesState>(m.value)));
  }

  /** The `traceparent` headers of the state messages for one contact, in arrival order. */
  traceparentsOf(externalId: string): (string | undefined)[] {
    return this.states.messages
      .filter((m: KafkaMessage) => m.key?.toString() === externalId)
      .map((m) => m.headers?.['traceparent']?.toString());
  }

  async waitForStates(externalId: string, count: number): Promise<ContactPreferencesState[]> {
    await this.states.until((m) => m.key?.toString() === externalId, count);
    return this.statesOf(externalId);
  }

  async historyCount(externalId: string): Promise<number> {
    const rows: { n: string }[] = await this.projector.runtime.db.query(
      `SELECT count(*) AS n FROM preferences.history h
         JOIN preferences.projections p ON p.projection = $1 AND h.projection_version = p.active_version
        WHERE h.external_id = $2`,
      [this.config.PROJECTION_NAME, externalId],
    );
    return Number(rows[0]?.n ?? 0);
  }

  async waitForHistory(externalId: string, count: number): Promise<void> {
    await waitFor(async () => (await this.historyCount(externalId)) >= count, {
      description: `${count} history rows for ${externalId}`,
    });
  }

  url(path: string): string {
    return `${this.projector.url}${path}`;
  }

  /** `POST /v1/lookup` with the address in a JSON body, as the read API takes it. */
  lookup(by: Record<string, unknown>, key: string | null = READ_KEY, headers: Record<string, string> = {}) {
    return fetch(this.url('/v1/lookup'), {
      method: 'POST',
      body: JSON.stringify(by),
      headers: {
        'content-type': 'application/json',
        ...(key === null ? {} : { 'x-api-key': key }),
        ...headers,
      },
    });
  }

  get(path: string, key: string | null = ADMIN_KEY, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(this.url(path), { headers: { ...(key === null ? {} : { 'x-api-key': key }), ...headers } });
  }
}

const T0 = Date.parse('2026-03-01T09:00:00Z');

/** A Marketing Preference Updated event; `at` is seconds after T0. */
export function preference(
  externalId: string,
  channel: 'email' | 'sms' | 'push',
  newStatus: 'subscribed' | 'unsubscribed',
  at: number,
  overrides: Partial<MarketingPreferenceUpdated> = {},
): MarketingPreferenceUpdated {
  const eventId = overrides.eventId ?? randomUUID();
  return {
    eventId,
    externalId,
    channel,
    newStatus,
    sourceOfChange: newStatus === 'unsubscribed' ? 'Email Unsubscribe Link' : 'Mobile App Settings',
    source: { system: 'optstream_api', providerEventRef: `ref-${eventId}` },
    occurredAt: T0 + at * 1000,
    recordedAt: T0 + at * 1000 + 500,
    causationId: randomUUID(),
    ...overrides,
  };
}

export const at = (seconds: number): number => T0 + seconds * 1000;

const TABLES = {
  channel_state: 'external_id, channel',
  contacts: 'external_id',
  identifiers: 'kind, keyed_hash',
  history: 'event_id',
} as const;

/** Every row of a version's tables, without the version column, in a stable order (rebuild equality). */
export async function snapshot(db: DataSource, version: number): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const [table, order] of Object.entries(TABLES)) {
    const rows: { row: unknown }[] = await db.query(
      `SELECT to_jsonb(t) - 'projection_version' AS row FROM preferences.${table} t
        WHERE projection_version = $1 ORDER BY ${order}`,
      [version],
    );
    out[table] = rows.map((r) => r.row);
  }
  return out;
}
