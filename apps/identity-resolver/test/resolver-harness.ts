import { randomBytes, randomUUID } from 'node:crypto';
import {
  type ContactInbound,
  type IdentityEvent,
  type MarketingPreferenceUpdated,
} from '@optstream/contracts';
import { DataKeyStore, type Queryable } from '@optstream/identity-data-access';
import { AvroCodec, createKafkaClient, provisionContracts } from '@optstream/kafka';
import { keyedHash, LocalMasterKeyProvider } from '@optstream/pii-crypto';
import {
  tailTopic,
  testDatabaseUrl,
  testKafkaConfig,
  uniqueName,
  waitFor,
  type TopicTail,
} from '@optstream/testing';
import type { Kafka, KafkaMessage, Producer } from 'kafkajs';
import { loadResolverConfig, type ResolverConfig } from '../src/config/resolver-config';
import type { FactOutcome } from '../src/observability/resolver-metrics';
import { resolverTopics, startResolver, type RunningResolver } from '../src/resolver-runtime';

export const MASTER_KEY_ID = 'test-master-1';

export interface HarnessOptions {
  /**
   * Topics of this harness alone (unique names; the default) instead of the contract's shared ones, on
   * which a resolver also resolves every fact the suites running beside it send.
   */
  readonly ownTopics?: boolean;
  /** Partitions of the own topics. */
  readonly partitions?: number;
  /** Another way to the database (a proxy the test can cut). */
  readonly databaseUrl?: string;
}

/**
 * A resolver in-process on the real stack with its own consumer group (starting at the inbound topic's
 * current end, so other suites' facts are not replayed), its own hash key, and tails on its outputs.
 */
export class ResolverHarness {
  readonly hashKey = randomBytes(32);
  readonly masterKeyBase64 = randomBytes(32).toString('base64');
  readonly config: ResolverConfig;
  readonly codec: AvroCodec;
  private readonly kafka: Kafka;
  private producer!: Producer;
  resolver: RunningResolver | null = null;
  identity!: TopicTail;
  preferences!: TopicTail;
  deadLetters!: TopicTail;

  constructor(private readonly options: HarnessOptions = {}) {
    const kafka = testKafkaConfig();
    this.codec = AvroCodec.fromConfig(kafka);
    this.kafka = createKafkaClient(kafka, 'identity-resolver-test');
    const prefix = uniqueName('test.identity-resolver');
    this.config = loadResolverConfig({
      ...((options.ownTopics ?? true)
        ? {
            INBOUND_TOPIC: `${prefix}.inbound`,
            IDENTITY_TOPIC: `${prefix}.identity`,
            PREFERENCES_TOPIC: `${prefix}.preferences`,
            DEAD_LETTER_TOPIC: `${prefix}.dead-letter`,
            TOPIC_PARTITIONS: String(options.partitions ?? 4),
          }
        : {}),
      KAFKA_BROKERS: kafka.KAFKA_BROKERS.join(','),
      SCHEMA_REGISTRY_URL: kafka.SCHEMA_REGISTRY_URL,
      DATABASE_URL: options.databaseUrl ?? testDatabaseUrl(),
      OPTSTREAM_HASH_KEY: this.hashKey.toString('base64'),
      OPTSTREAM_MASTER_KEYS: `${MASTER_KEY_ID}=${this.masterKeyBase64}`,
      OPTSTREAM_ACTIVE_MASTER_KEY_ID: MASTER_KEY_ID,
      CONSUMER_GROUP: uniqueName('identity-resolver-test'),
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
    });
  }

  async start(): Promise<void> {
    const partitions = (this.options.ownTopics ?? true) ? { partitions: this.options.partitions ?? 4 } : {};
    await provisionContracts(this.kafka, this.codec, resolverTopics(this.config), partitions);
    await this.startGroupAtEnd();
    const brokers = this.config.KAFKA_BROKERS;
    this.identity = await tailTopic(brokers, this.config.IDENTITY_TOPIC);
    this.preferences = await tailTopic(brokers, this.config.PREFERENCES_TOPIC);
    this.deadLetters = await tailTopic(brokers, this.config.DEAD_LETTER_TOPIC);
    this.producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await this.producer.connect();
    await this.startResolver();
  }

  async startResolver(): Promise<void> {
    this.resolver = await startResolver(this.config);
  }

  async stopResolver(): Promise<void> {
    await this.resolver?.stop();
    this.resolver = null;
  }

  async stop(): Promise<void> {
    await this.stopResolver();
    await this.producer?.disconnect();
    await Promise.all([this.identity?.stop(), this.preferences?.stop(), this.deadLetters?.stop()]);
  }

  /** The resolver's data keys, as the resolver under test unwraps them (its master key). */
  dataKeys(db: Queryable): DataKeyStore {
    return new DataKeyStore(
      db,
      new LocalMasterKeyProvider({
        activeKeyId: MASTER_KEY_ID,
        keys: { [MASTER_KEY_ID]: this.masterKeyBase64 },
      }),
    );
  }

  hash(kind: 'email' | 'phone' | 'external_id', value: string): string {
    return keyedHash(this.hashKey, kind, value);
  }

  /** Publishes facts as the gateway does: Avro through the registry, keyed by the strongest identifier's hash. */
  async send(...facts: ContactInbound[]): Promise<Buffer[]> {
    return this.sendTraced(undefined, ...facts);
  }

  /** As `send`, with a W3C `traceparent` header on every fact (as the gateway writes it). */
  async sendTraced(traceparent: string | undefined, ...facts: ContactInbound[]): Promise<Buffer[]> {
    const topic = this.config.INBOUND_TOPIC;
    const values = await Promise.all(facts.map((f) => this.codec.encode(topic, f)));
    await this.producer.send({
      topic,
      acks: -1,
      messages: facts.map((f, i) => ({
        key: this.keyOf(f),
        value: values[i] ?? null,
        headers: { 'optstream-event-id': f.eventId, ...(traceparent ? { traceparent } : {}) },
      })),
    });
    return values;
  }

  /** Waits for `count` identity.v1 events caused by the inbound fact, decoded in arrival order. */
  async identityEventsOf(inboundEventId: string, count: number): Promise<IdentityEvent[]> {
    return this.decodedUntil<IdentityEvent>(this.identity, (e) => e.causationId === inboundEventId, count);
  }

  async preferenceEvents(
    predicate: (e: MarketingPreferenceUpdated) => boolean,
    count: number,
  ): Promise<MarketingPreferenceUpdated[]> {
    return this.decodedUntil(this.preferences, predicate, count);
  }

  /** The `traceparent` headers of the output messages in `tail` caused by the inbound fact. */
  async traceparentsOf(tail: TopicTail, inboundEventId: string): Promise<(string | undefined)[]> {
    const decoded = await this.decodeAll<{ causationId: string }>(tail.messages);
    return tail.messages
      .filter((_, i) => decoded[i]?.causationId === inboundEventId)
      .map((m) => m.headers?.['traceparent']?.toString());
  }

  async decodeAll<T>(messages: readonly KafkaMessage[]): Promise<T[]> {
    return Promise.all(messages.map((m) => this.codec.decode<T>(m.value)));
  }

  async factCount(outcome: FactOutcome): Promise<number> {
    const metric = await this.resolver?.metrics.facts.get();
    return metric?.values.find((v) => v.labels['outcome'] === outcome)?.value ?? 0;
  }

  private async decodedUntil<T>(tail: TopicTail, predicate: (e: T) => boolean, count: number): Promise<T[]> {
    // Decoding is async, so poll the decoded list rather than the raw messages.
    return waitFor(
      async () => {
        const decoded = (await this.decodeAll<T>(tail.messages)).filter(predicate);
        return decoded.length >= count ? decoded : undefined;
      },
      { timeoutMs: 30_000, description: `${count} matching event(s)` },
    );
  }

  private keyOf(fact: ContactInbound): string {
    const { externalId, email, phone } = fact.identifiers;
    if (externalId) return this.hash('external_id', externalId);
    if (email) return this.hash('email', email);
    if (phone) return this.hash('phone', phone);
    return randomUUID();
  }

  // A new group with committed offsets at the topic's end: the resolver reads only what this suite sends.
  private async startGroupAtEnd(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      // Right after the topic's creation a broker may still answer "not the leader": ask again.
      const ends = await waitFor(() => admin.fetchTopicOffsets(this.config.INBOUND_TOPIC), {
        timeoutMs: 30_000,
        description: `offsets of ${this.config.INBOUND_TOPIC}`,
      });
      await admin.setOffsets({
        groupId: this.config.CONSUMER_GROUP,
        topic: this.config.INBOUND_TOPIC,
        partitions: ends.map((e) => ({ partition: e.partition, offset: e.offset })),
      });
    } finally {
      await admin.disconnect();
    }
  }
}
