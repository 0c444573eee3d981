import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  TOPICS,
  type ContactInbound,
  type IdentityEvent,
  type MarketingPreferenceUpdated,
  type TopicDeclaration,
} from '@optstream/contracts';
import { kafkaConfigSchema, loadConfig } from '@optstream/config';
import {
  AvroCodec,
  createKafkaClient,
  EventConsumer,
  EventPublisher,
  HEADER,
  provisionContracts,
} from '@optstream/kafka';
import { keyedHash } from '@optstream/pii-crypto';
import type { Kafka, KafkaMessage, Producer } from 'kafkajs';
import { loadResolverConfig } from '../apps/identity-resolver/src/config/resolver-config';
import { startResolver, type RunningResolver } from '../apps/identity-resolver/src/resolver-runtime';
import { loadStackSettings, up } from '../tools/stack';
import { describeMachine } from './machine';

/**
 * identity-resolver throughput and added latency, side by side in one run with a pass-through consumer
 * that republishes every inbound fact without resolving it (same EventConsumer / EventPublisher, same
 * Kafka settings, same partition concurrency). Everything runs on topics and groups of its own.
 *
 *   1. seed: SEED_CONTACTS identifies through the resolver (untimed), so most measured facts name
 *      known contacts;
 *   2. throughput: N pre-produced facts (realistic mix) drained by the pass-through, then by the
 *      resolver (each its own group, same topic) → events/s each and the ratio;
 *   3. latency: both consume one topic fed at a fixed rate; added latency = output record timestamp
 *      − input record timestamp, per inbound fact.
 */
const N = Number(process.env['BENCH_RESOLVER_EVENTS'] ?? 50_000);
const SEED_CONTACTS = Number(process.env['BENCH_RESOLVER_CONTACTS'] ?? 10_000);
const RATE = Number(process.env['BENCH_RESOLVER_RATE'] ?? 1_000);
const LATENCY_S = Number(process.env['BENCH_RESOLVER_LATENCY_S'] ?? 20);
const PARTITIONS = TOPICS.contactInbound.partitions;
// Partitions handled in parallel, the same for both consumers (the resolver's PARTITIONS_CONCURRENCY).
const CONCURRENCY = Number(process.env['BENCH_RESOLVER_CONCURRENCY'] ?? 12);
const MASTER_KEY_ID = 'bench-1';
const PUBLISH_SLICE = 500;
const OCCURRED_AT = 1_767_225_600_000;

interface Known {
  readonly externalId: string;
  readonly email: string;
}

/** The gateway's side: facts keyed by the keyed hash of their strongest identifier. */
class FactSource {
  private readonly known: Known[] = [];
  private readonly provisionalEmails: string[] = [];
  private readonly sent: ContactInbound[] = [];
  private i = 0;

  constructor(
    private readonly hashKey: Buffer,
    private readonly run: string,
  ) {}

  seed(count: number): ContactInbound[] {
    return Array.from({ length: count }, () => {
      const person = { externalId: randomUUID(), email: this.email() };
      this.known.push(person);
      return this.fact({ externalId: person.externalId, email: person.email }, 'identify');
    });
  }

  /**
   * The measured mix: 55 % consent changes of known contacts by externalId, 15 % by email only, 5 %
   * push permission changes, 10 % opt-outs from unknown addresses (provisional contacts), 3 %
   * identifies linking a new email to a known contact, 2 % identifies that merge a provisional
   * contact, 10 % redeliveries of an earlier fact (same bytes, same eventId).
   */
  next(): ContactInbound {
    const n = this.i++ % 100;
    const someone = this.known[Math.floor(Math.random() * this.known.length)] as Known;
    let fact: ContactInbound;
    if (n < 10 && this.sent.length > 0) {
      return this.sent[Math.floor(Math.random() * this.sent.length)] as ContactInbound;
    } else if (n < 65) {
      fact = this.fact({ externalId: someone.externalId }, 'preference_change');
    } else if (n < 80) {
      fact = this.fact({ email: someone.email }, 'preference_change');
    } else if (n < 85) {
      fact = this.fact({ externalId: someone.externalId }, 'push_permission_change');
    } else if (n < 95) {
      const email = this.email();
      this.provisionalEmails.push(email);
      fact = this.fact({ email }, 'preference_change');
    } else if (n < 98 || this.provisionalEmails.length === 0) {
      fact = this.fact({ externalId: someone.externalId, email: this.email() }, 'identify');
    } else {
      const email = this.provisionalEmails.shift() as string;
      const person = { externalId: randomUUID(), email };
      this.known.push(person);
      fact = this.fact(person, 'identify');
    }
    this.sent.push(fact);
    if (this.sent.length > 5_000) this.sent.splice(0, 1_000);
    return fact;
  }

  key(fact: ContactInbound): string {
    const { externalId, email } = fact.identifiers;
    if (externalId) return keyedHash(this.hashKey, 'external_id', externalId);
    return keyedHash(this.hashKey, 'email', email ?? '');
  }

  private email(): string {
    return `bench-${this.run}-${randomBytes(5).toString('hex')}@example.com`;
  }

  private fact(
    ids: { externalId?: string; email?: string },
    kind: 'identify' | 'preference_change' | 'push_permission_change',
  ): ContactInbound {
    const occurredAt = OCCURRED_AT + this.i;
    const status = Math.random() < 0.5 ? 'subscribed' : 'unsubscribed';
    return {
      eventId: randomUUID(),
      source: { system: 'optstream_api', providerEventRef: `bench-${randomUUID()}` },
      occurredAt,
      receivedAt: occurredAt + 5,
      identifiers: {
        externalId: ids.externalId ?? null,
        email: ids.email ?? null,
        phone: null,
        anonymousId: null,
      },
      kind,
      preferenceChange:
        kind === 'preference_change'
          ? {
              channel: (['email', 'sms', 'push'] as const)[this.i % 3] ?? 'email',
              newStatus: status,
              sourceOfChange: 'Benchmark',
            }
          : null,
      identify: kind === 'identify' ? { traitsJson: '{}' } : null,
      pushPermissionChange:
        kind === 'push_permission_change'
          ? { enabled: status === 'subscribed', sourceOfChange: 'Benchmark' }
          : null,
    };
  }
}

interface Stack {
  readonly kafka: Kafka;
  readonly codec: AvroCodec;
  readonly producer: Producer;
  readonly brokers: string;
  readonly registryUrl: string;
  readonly databaseUrl: string;
}

const topic = (base: TopicDeclaration, name: string): TopicDeclaration => ({
  ...base,
  name,
  configs: { 'cleanup.policy': 'delete', 'retention.ms': String(6 * 3_600_000) },
});

async function produce(stack: Stack, source: FactSource, name: string, facts: readonly ContactInbound[]) {
  for (let i = 0; i < facts.length; i += 1_000) {
    const chunk = facts.slice(i, i + 1_000);
    const values = await Promise.all(chunk.map((f) => stack.codec.encode(name, f)));
    await stack.producer.send({
      topic: name,
      acks: -1,
      messages: chunk.map((f, j) => ({
        key: source.key(f),
        value: values[j] ?? null,
        headers: { [HEADER.eventId]: f.eventId },
      })),
    });
  }
}

function resolverConfig(stack: Stack, hashKey: Buffer, masterKey: string, names: Record<string, string>) {
  return loadResolverConfig({
    KAFKA_BROKERS: stack.brokers,
    SCHEMA_REGISTRY_URL: stack.registryUrl,
    DATABASE_URL: stack.databaseUrl,
    OPTSTREAM_HASH_KEY: hashKey.toString('base64'),
    OPTSTREAM_MASTER_KEYS: `${MASTER_KEY_ID}=${masterKey}`,
    OPTSTREAM_ACTIVE_MASTER_KEY_ID: MASTER_KEY_ID,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    PARTITIONS_CONCURRENCY: String(CONCURRENCY),
    DATABASE_POOL_SIZE: String(Math.max(10, CONCURRENCY + 6)),
    ...names,
  });
}

async function factsHandled(resolver: RunningResolver): Promise<number> {
  const metric = await resolver.metrics.facts.get();
  const dead = (await resolver.metrics.deadLetters.get()).values.reduce((s, v) => s + v.value, 0);
  return metric.values.reduce((s, v) => s + v.value, 0) + dead;
}

/** The pass-through: decode (the library does), republish the value unchanged, commit. */
async function startPassThrough(stack: Stack, input: string, output: string, groupId: string) {
  const publisher = new EventPublisher(stack.kafka, stack.codec, { [output]: 'contact-inbound.v1' });
  await publisher.connect();
  let handled = 0;
  const consumer = new EventConsumer(stack.kafka, stack.codec, publisher, {
    service: 'bench-pass-through',
    groupId,
    topics: [input],
    deadLetterTopic: `${output}.dead-letter`,
    partitionsConsumedConcurrently: CONCURRENCY,
  });
  await consumer.start({
    batch: async (events) => {
      const out = events.map((e) => ({
        key: e.key,
        value: e.value,
        eventId: (e.value as ContactInbound).eventId,
      }));
      // In slices, as the resolver publishes: one key's run must stay under the broker's record-batch
      // limit (1 MiB); the publisher keeps call order and merges slices into few requests.
      await Promise.all(
        Array.from({ length: Math.ceil(out.length / PUBLISH_SLICE) }, (_, i) =>
          publisher.publish(output, out.slice(i * PUBLISH_SLICE, (i + 1) * PUBLISH_SLICE)),
        ),
      );
      handled += events.length;
    },
  });
  return {
    handled: () => handled,
    stop: async () => {
      await consumer.stop();
      await publisher.disconnect();
    },
  };
}

interface Drain {
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
}

/**
 * Time from the first handled batch to the last: group join (a fixed ~3 s broker delay for a new
 * group) is left out for both, and the first batch's events are not counted in the rate.
 */
async function drain(count: () => Promise<number> | number, total: number): Promise<Drain> {
  let first: { at: number; count: number } | null = null;
  const deadline = Date.now() + 30 * 60_000;
  for (;;) {
    const c = await count();
    const at = performance.now();
    if (first === null && c > 0) first = { at, count: c };
    if (c >= total && first !== null) {
      const seconds = (at - first.at) / 1000;
      const events = total - first.count;
      return { events: total, seconds, eventsPerSecond: Math.round(events / Math.max(seconds, 1e-3)) };
    }
    if (Date.now() > deadline) throw new Error(`drain timed out at ${c}/${total}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Reads a whole topic (from the beginning) until `until` says it has everything. */
async function readAll(
  stack: Stack,
  name: string,
  until: (messages: readonly KafkaMessage[]) => boolean,
): Promise<KafkaMessage[]> {
  const consumer = stack.kafka.consumer({ groupId: `bench-reader-${randomUUID()}`, maxWaitTimeInMs: 200 });
  const messages: KafkaMessage[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic: name, fromBeginning: true });
  await consumer.run({ eachBatch: async ({ batch }) => void messages.push(...batch.messages) });
  const deadline = Date.now() + 5 * 60_000;
  while (!until(messages)) {
    if (Date.now() > deadline) throw new Error(`reading ${name} timed out at ${messages.length}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  await consumer.disconnect();
  return messages;
}

async function endOffsetSum(stack: Stack, name: string): Promise<number> {
  const admin = stack.kafka.admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(name)).reduce((s, p) => s + Number(p.high), 0);
  } finally {
    await admin.disconnect();
  }
}

const percentile = (sorted: readonly number[], p: number): number =>
  sorted.length === 0
    ? NaN
    : (sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN);

const summary = (latencies: number[]) => {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    facts: sorted.length,
    p50ms: percentile(sorted, 50),
    p95ms: percentile(sorted, 95),
    p99ms: percentile(sorted, 99),
    maxMs: sorted.at(-1) ?? NaN,
  };
};

async function main(): Promise<void> {
  const endpoints = await up(loadStackSettings(), () => undefined);
  const kafkaConfig = loadConfig('bench', kafkaConfigSchema, {
    KAFKA_BROKERS: endpoints.kafkaBrokers,
    SCHEMA_REGISTRY_URL: endpoints.registryUrl,
  });
  const kafka = createKafkaClient(kafkaConfig, 'bench-resolver');
  const codec = AvroCodec.fromConfig(kafkaConfig);
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const stack: Stack = {
    kafka,
    codec,
    producer,
    brokers: endpoints.kafkaBrokers,
    registryUrl: endpoints.registryUrl,
    databaseUrl: endpoints.databaseUrl,
  };
  const run = randomBytes(3).toString('hex');
  const prefix = `bench.resolver.${run}`;
  const hashKey = randomBytes(32);
  const masterKey = randomBytes(32).toString('base64');
  const source = new FactSource(hashKey, run);
  const names = {
    seed: `${prefix}.seed`,
    inbound: `${prefix}.inbound`,
    latency: `${prefix}.latency`,
    passThrough: `${prefix}.pass-through`,
    passThroughLatency: `${prefix}.pass-through-latency`,
    identity: `${prefix}.identity`,
    preferences: `${prefix}.preferences`,
    deadLetter: `${prefix}.dead-letter`,
  };
  const inboundTopics = [
    names.seed,
    names.inbound,
    names.latency,
    names.passThrough,
    names.passThroughLatency,
  ];
  await provisionContracts(kafka, codec, [
    ...inboundTopics.map((n) => topic(TOPICS.contactInbound, n)),
    topic(TOPICS.identity, names.identity),
    topic(TOPICS.marketingPreferenceUpdated, names.preferences),
    topic(TOPICS.identityDeadLetter, names.deadLetter),
    topic(TOPICS.identityDeadLetter, `${names.passThrough}.dead-letter`),
    topic(TOPICS.identityDeadLetter, `${names.passThroughLatency}.dead-letter`),
  ]);
  const outputs = {
    IDENTITY_TOPIC: names.identity,
    PREFERENCES_TOPIC: names.preferences,
    DEAD_LETTER_TOPIC: names.deadLetter,
  };

  // 1. Seed known contacts through the resolver (not timed).
  console.log(`seeding ${SEED_CONTACTS} known contacts…`);
  await produce(stack, source, names.seed, source.seed(SEED_CONTACTS));
  const seeder = await startResolver(
    resolverConfig(stack, hashKey, masterKey, {
      ...outputs,
      INBOUND_TOPIC: names.seed,
      CONSUMER_GROUP: `${prefix}.seed`,
    }),
  );
  const seeded = await drain(() => factsHandled(seeder), SEED_CONTACTS);
  await seeder.stop();

  // 2. Throughput: the same N pre-produced facts, drained by each consumer in turn.
  const facts = Array.from({ length: N }, () => source.next());
  console.log(`producing ${N} inbound facts…`);
  await produce(stack, source, names.inbound, facts);
  console.log('draining with the pass-through consumer…');
  const pass = await startPassThrough(stack, names.inbound, names.passThrough, `${prefix}.pass-through`);
  const passDrain = await drain(() => pass.handled(), N);
  await pass.stop();
  console.log(`  ${passDrain.eventsPerSecond} events/s`);
  console.log('draining with the resolver…');
  const resolver = await startResolver(
    resolverConfig(stack, hashKey, masterKey, {
      ...outputs,
      INBOUND_TOPIC: names.inbound,
      CONSUMER_GROUP: `${prefix}.resolver`,
    }),
  );
  const resolverDrain = await drain(() => factsHandled(resolver), N);
  const batches = (await resolver.metrics.batches.get()).values.map((v) => [v.labels['path'], v.value]);
  const outcomes = (await resolver.metrics.facts.get()).values.map((v) => [v.labels['outcome'], v.value]);
  const deadLetters = (await resolver.metrics.deadLetters.get()).values.reduce((s, v) => s + v.value, 0);
  await resolver.stop();
  console.log(`  ${resolverDrain.eventsPerSecond} events/s`);

  // 3. Added latency at a fixed rate: both consumers on one topic, fed RATE facts/s.
  const latencyResolver = await startResolver(
    resolverConfig(stack, hashKey, masterKey, {
      ...outputs,
      INBOUND_TOPIC: names.latency,
      CONSUMER_GROUP: `${prefix}.resolver-latency`,
    }),
  );
  const latencyPass = await startPassThrough(
    stack,
    names.latency,
    names.passThroughLatency,
    `${prefix}.pass-through-latency`,
  );
  // Warm-up: both have joined their groups and handled a fact before the clock starts.
  const warmup = Array.from({ length: 20 }, () => source.next());
  await produce(stack, source, names.latency, warmup);
  await drain(() => latencyPass.handled(), warmup.length);
  await drain(() => factsHandled(latencyResolver), warmup.length);
  const total = RATE * LATENCY_S;
  console.log(`feeding ${total} facts at ${RATE}/s for ${LATENCY_S} s…`);
  const tickMs = 10;
  const perTick = RATE / (1000 / tickMs);
  const startedAt = performance.now();
  const measured: ContactInbound[] = [];
  for (let tick = 0; measured.length < total; tick += 1) {
    const due = startedAt + tick * tickMs;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const chunk = Array.from({ length: Math.min(perTick, total - measured.length) }, () => source.next());
    measured.push(...chunk);
    // Not awaited: the feed keeps its pace; the idempotent producer keeps order.
    void produce(stack, source, names.latency, chunk);
  }
  const fedSeconds = (performance.now() - startedAt) / 1000;
  await drain(() => latencyPass.handled(), warmup.length + total);
  await drain(() => factsHandled(latencyResolver), warmup.length + total);
  await latencyPass.stop();
  await latencyResolver.stop();

  const measuredIds = new Set(measured.map((f) => f.eventId));
  const inputs = await readAll(stack, names.latency, (m) => m.length >= warmup.length + total);
  const inputAt = new Map<string, number>();
  for (const m of inputs) {
    const id = m.headers?.[HEADER.eventId]?.toString() ?? '';
    if (measuredIds.has(id) && !inputAt.has(id)) inputAt.set(id, Number(m.timestamp));
  }
  const passOut = await readAll(stack, names.passThroughLatency, (m) => m.length >= warmup.length + total);
  const passLatency: number[] = [];
  const seenPass = new Set<string>();
  for (const m of passOut) {
    const id = m.headers?.[HEADER.eventId]?.toString() ?? '';
    const at = inputAt.get(id);
    if (at === undefined || seenPass.has(id)) continue;
    seenPass.add(id);
    passLatency.push(Number(m.timestamp) - at);
  }
  // The resolver's outputs of a fact: its identity and preference events (causationId = the fact).
  const identityEnd = await endOffsetSum(stack, names.identity);
  const preferenceEnd = await endOffsetSum(stack, names.preferences);
  const outs = [
    ...(await readAll(stack, names.identity, (m) => m.length >= identityEnd)),
    ...(await readAll(stack, names.preferences, (m) => m.length >= preferenceEnd)),
  ];
  const lastOutput = new Map<string, number>();
  for (const m of outs) {
    const event = await codec.decode<IdentityEvent | MarketingPreferenceUpdated>(m.value);
    const at = inputAt.get(event.causationId);
    if (at === undefined) continue;
    lastOutput.set(event.causationId, Math.max(lastOutput.get(event.causationId) ?? 0, Number(m.timestamp)));
  }
  const resolverLatency = [...lastOutput].map(([id, at]) => at - (inputAt.get(id) ?? at));
  await producer.disconnect();

  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({
    topics: [
      ...inboundTopics,
      names.identity,
      names.preferences,
      names.deadLetter,
      `${names.passThrough}.dead-letter`,
      `${names.passThroughLatency}.dead-letter`,
    ],
  });
  await admin.disconnect();

  report({
    seeded,
    passDrain,
    resolverDrain,
    batches,
    outcomes,
    deadLetters,
    fedSeconds,
    pass: summary(passLatency),
    resolver: summary(resolverLatency),
  });
}

function report(r: {
  seeded: Drain;
  passDrain: Drain;
  resolverDrain: Drain;
  batches: unknown[];
  outcomes: unknown[];
  deadLetters: number;
  fedSeconds: number;
  pass: ReturnType<typeof summary>;
  resolver: ReturnType<typeof summary>;
}): void {
  const ratio = Number(
    (r.resolverDrain.eventsPerSecond / Math.max(r.passDrain.eventsPerSecond, 1)).toFixed(2),
  );
  const result = {
    benchmark: 'identity-resolver',
    at: new Date().toISOString(),
    machine: describeMachine(),
    note: 'CPU shared: the machine runs other engineers’ builds and tests at the same time; Kafka, the registry and Postgres run on the same cores.',
    settings: {
      events: N,
      seedContacts: SEED_CONTACTS,
      partitions: PARTITIONS,
      partitionsConcurrency: CONCURRENCY,
      latencyRate: RATE,
      latencySeconds: LATENCY_S,
      mix: '55% consent by externalId, 15% consent by email, 5% push permission, 10% opt-out from unknown email, 3% identify linking a new email, 2% identify merging a provisional contact, 10% redeliveries',
    },
    throughput: {
      passThrough: r.passDrain,
      resolver: r.resolverDrain,
      ratio,
      resolverBatches: Object.fromEntries(r.batches as [string, number][]),
      resolverOutcomes: Object.fromEntries(r.outcomes as [string, number][]),
      resolverDeadLetters: r.deadLetters,
      seed: r.seeded,
    },
    latency: {
      fedSeconds: Number(r.fedSeconds.toFixed(2)),
      passThrough: r.pass,
      resolver: r.resolver,
      addedP95ms: r.resolver.p95ms - r.pass.p95ms,
    },
  };
  const dir = resolve(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'resolver.json'), `${JSON.stringify(result, null, 2)}\n`);
  const m = result.machine;
  const md = [
    '# identity-resolver benchmark',
    '',
    `Measured ${result.at} on ${m.cpu} (${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}), local single-node stack (Kafka, registry, Postgres on the same machine). ${result.note}`,
    '',
    `Mix: ${result.settings.mix}; ${SEED_CONTACTS} known contacts seeded first; ${PARTITIONS} partitions, ${CONCURRENCY} consumed concurrently.`,
    '',
    `## Throughput (${N} pre-produced facts, each consumer its own group)`,
    '',
    '| consumer | events/s | seconds |',
    '| --- | ---: | ---: |',
    `| pass-through (decode + republish) | ${r.passDrain.eventsPerSecond} | ${r.passDrain.seconds.toFixed(2)} |`,
    `| identity-resolver | ${r.resolverDrain.eventsPerSecond} | ${r.resolverDrain.seconds.toFixed(2)} |`,
    '',
    `Ratio resolver ÷ pass-through: ${ratio}. Resolver batches: ${JSON.stringify(result.throughput.resolverBatches)}; outcomes: ${JSON.stringify(result.throughput.resolverOutcomes)}; dead letters: ${r.deadLetters}.`,
    '',
    `## Latency at ${RATE} facts/s for ${LATENCY_S} s (output record timestamp − input record timestamp)`,
    '',
    '| consumer | facts | p50 ms | p95 ms | p99 ms | max ms |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    `| pass-through | ${r.pass.facts} | ${r.pass.p50ms} | ${r.pass.p95ms} | ${r.pass.p99ms} | ${r.pass.maxMs} |`,
    `| identity-resolver | ${r.resolver.facts} | ${r.resolver.p50ms} | ${r.resolver.p95ms} | ${r.resolver.p99ms} | ${r.resolver.maxMs} |`,
    '',
    `Added p95 (resolver − pass-through): ${result.latency.addedP95ms} ms. Both consumed the same topic at the same time; the resolver's latency is taken to its LAST output of a fact; facts without output (redeliveries) are not counted.`,
    '',
  ].join('\n');
  writeFileSync(join(dir, 'resolver.md'), md);
  console.log(`\n${md}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
