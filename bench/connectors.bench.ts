import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { Pool } from 'pg';
import { TOPICS, type ContactPreferencesState } from '@optstream/contracts';
import { kafkaConfigSchema, loadConfig } from '@optstream/config';
import {
  DEFAULT_RATE_LIMITS,
  oneSignalLookup,
  oneSignalUpdates,
  parseOneSignalSubscriptions,
  planAttentive,
  planBraze,
  planMailchimp,
  planSendgrid,
  type Channel,
  type ContactConsent,
  type HttpRequest,
  type ProviderName,
} from '@optstream/connectors-domain';
import { createAdapters } from '@optstream/connectors-providers';
import {
  loadConnectorConfig,
  providersFromEnv,
  startConnectorRuntime,
  type ConnectorRuntime,
} from '@optstream/connector-runtime';
import { AvroCodec, createKafkaClient, EventPublisher, provisionContracts } from '@optstream/kafka';
import {
  generateDataKey,
  identifierAssociatedData,
  LocalMasterKeyProvider,
  seal,
} from '@optstream/pii-crypto';
import {
  LOCAL_BRAZE_SMS_GROUP_ID,
  LOCAL_MAILCHIMP_LIST_ID,
  simulatedProviders,
} from '@optstream/local-system';
import { startProviderSimulators, type ProviderSimulators } from '@optstream/provider-simulators';
import { describeMachine } from './machine';

/**
 * Deliveries/s per connector (email: SendGrid + Mailchimp + Braze; sms: Attentive; push: OneSignal)
 * against the in-process, unthrottled provider simulators, side by side in one run with a bare fetch
 * loop that makes the same provider HTTP calls (same requests from the same pure planners, same
 * per-provider concurrency, addresses already in memory) without Kafka, Postgres or address lookups.
 * The ratio connector ÷ bare is the connector's overhead.
 *
 * Runs on the shared dev stack (never stopped or reset here) with a unique state topic, dead-letter
 * topic and consumer groups per run; the identity rows and delivery marks it creates are removed at the end.
 */
const N = Number(process.env['BENCH_CONNECTOR_STATES'] ?? 20_000);
const STACK = {
  KAFKA_BROKERS: process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092',
  SCHEMA_REGISTRY_URL: process.env['SCHEMA_REGISTRY_URL'] ?? 'http://127.0.0.1:8081/apis/ccompat/v7',
  DATABASE_URL: process.env['DATABASE_URL'] ?? 'postgres://optstream:optstream@127.0.0.1:54329/optstream',
};
/** Far above anything the simulator can serve: the client-side token bucket never waits. */
const UNLIMITED_RATE = '1000000';
const CONNECTORS: readonly { channel: Channel; providers: readonly ProviderName[] }[] = [
  { channel: 'email', providers: ['sendgrid', 'mailchimp', 'braze'] },
  { channel: 'sms', providers: ['attentive'] },
  { channel: 'push', providers: ['onesignal'] },
];

const log = (line: string) => console.log(`[connectors bench] ${line}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Contact {
  readonly externalId: string;
  readonly email: string;
  readonly phone: string;
}

const contactsOf = (run: string): Contact[] =>
  Array.from({ length: N }, (_, i) => ({
    externalId: `cbench-${run}-${String(i).padStart(6, '0')}`,
    email: `c${i}.${run}@bench.example`,
    phone: `+1555${String(i).padStart(7, '0')}`,
  }));

/** An opt-out on every channel: every provider has real work (suppress, upsert, track, unsubscribe, PATCH). */
function stateOf(contact: Contact, at: number): ContactPreferencesState {
  const channels = (['email', 'sms', 'push'] as const).map((channel) => ({
    channel,
    status: 'unsubscribed' as const,
    occurredAt: at,
    eventId: `${contact.externalId}-${channel}`,
    sourceOfChange: 'Benchmark',
  }));
  return {
    externalId: contact.externalId,
    channels,
    version: 1,
    updatedAt: at,
    causationId: `${contact.externalId}-email`,
  };
}

/** What the identity resolver writes: a data key per contact (wrapped by the master key) and sealed addresses. */
async function storeIdentities(
  pool: Pool,
  masterKeys: LocalMasterKeyProvider,
  contacts: Contact[],
): Promise<void> {
  const CHUNK = 1_000;
  for (let at = 0; at < contacts.length; at += CHUNK) {
    const part = contacts.slice(at, at + CHUNK);
    const keys: { id: string; owner: string; wrapped: Buffer }[] = [];
    const ids: { kind: string; hash: string; owner: string; sealed: Buffer; keyId: string }[] = [];
    for (const c of part) {
      const dataKey = generateDataKey();
      const wrapped = await masterKeys.wrapKey(dataKey, { externalId: c.externalId });
      const keyId = `dk-${c.externalId}`;
      keys.push({ id: keyId, owner: c.externalId, wrapped: wrapped.blob });
      for (const [kind, value] of [
        ['email', c.email],
        ['phone', c.phone],
      ] as const)
        ids.push({
          kind,
          hash: `bench-${c.externalId}-${kind}`,
          owner: c.externalId,
          sealed: seal(dataKey, value, identifierAssociatedData(c.externalId, kind)),
          keyId,
        });
    }
    await pool.query(
      `INSERT INTO identity.data_keys (key_id, external_id, wrapped_key, master_key_id)
       SELECT k, e, w, $4 FROM unnest($1::text[], $2::text[], $3::bytea[]) AS t(k, e, w)`,
      [keys.map((k) => k.id), keys.map((k) => k.owner), keys.map((k) => k.wrapped), masterKeys.keyId],
    );
    await pool.query(
      `INSERT INTO identity.identifiers (kind, keyed_hash, external_id, sealed_value, data_key_id, event_id)
       SELECT k, h, e, s, d, h FROM unnest($1::text[], $2::text[], $3::text[], $4::bytea[], $5::text[])
         AS t(k, h, e, s, d)`,
      [
        ids.map((i) => i.kind),
        ids.map((i) => i.hash),
        ids.map((i) => i.owner),
        ids.map((i) => i.sealed),
        ids.map((i) => i.keyId),
      ],
    );
  }
}

async function produceStates(publisher: EventPublisher, topic: string, contacts: Contact[]): Promise<void> {
  const at = Date.now();
  const CHUNK = 2_000;
  for (let i = 0; i < contacts.length; i += CHUNK) {
    await publisher.publish(
      topic,
      contacts
        .slice(i, i + CHUNK)
        .map((c) => ({ key: c.externalId, value: stateOf(c, at), eventId: `${c.externalId}-state` })),
    );
  }
}

/**
 * Seeds a OneSignal user (one iOS push subscription) per contact. The simulator finds a subscription by
 * id with a linear scan over its users (fine for tests, quadratic at 20,000 users: it, not the
 * connector, would be the bottleneck), so the bench gives this in-process instance an index.
 */
function seedOneSignal(sims: ProviderSimulators, contacts: Contact[]): void {
  const state = sims.state.onesignal;
  const owners = new Map<string, string>();
  for (const c of contacts)
    for (const sub of state.seedUser(c.externalId, [{ type: 'iOSPush', token: `tok-${c.externalId}` }])
      .subscriptions)
      owners.set(sub.id, c.externalId);
  const scan = state.findSubscription.bind(state);
  state.findSubscription = (match) => {
    if (!('id' in match)) return scan(match);
    const owner = owners.get(match.id);
    const user = owner === undefined ? undefined : state.user(owner);
    const subscription = user?.subscriptions.find((s) => s.id === match.id);
    return user && subscription ? { user, subscription } : undefined;
  };
}

/** Runs `work` over `items` with at most `limit` at a time. */
async function pool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

// ---------------------------------------------------------------------------------------------------------
// Bare baseline: the same HTTP calls, bare fetch.

interface BareResult {
  readonly seconds: number;
  readonly requests: number;
  readonly failures: number;
}

async function bareProvider(
  sims: ProviderSimulators,
  provider: ProviderName,
  consents: ContactConsent[],
): Promise<{ requests: number; failures: number }> {
  const c = sims.credentials;
  const base = sims.baseUrl(provider);
  const concurrency = DEFAULT_RATE_LIMITS[provider].maxConcurrency;
  let requests = 0;
  let failures = 0;
  const send = async (auth: Record<string, string>, request: HttpRequest) => {
    requests += 1;
    const res = await fetch(`${base}${request.path}`, {
      method: request.method,
      headers: { ...auth, ...(request.body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
    });
    const body = await res.text();
    if (!res.ok) failures += 1;
    return { status: res.status, body };
  };
  // The adapters' batch sizes: SendGrid 100 per suppression POST, Braze 75 per /users/track.
  const chunks = (size: number) =>
    Array.from({ length: Math.ceil(consents.length / size) }, (_, i) =>
      consents.slice(i * size, (i + 1) * size),
    );
  switch (provider) {
    case 'sendgrid': {
      const auth = { authorization: `Bearer ${c.sendgridApiKey}` };
      const requests = chunks(100).flatMap((b) => planSendgrid(b, {}).requests.map((p) => p.request));
      await pool(requests, concurrency, async (r) => void (await send(auth, r)));
      break;
    }
    case 'mailchimp': {
      const auth = {
        authorization: `Basic ${Buffer.from(`optstream:${c.mailchimpApiKey}`).toString('base64')}`,
      };
      const requests = planMailchimp(consents, { listId: LOCAL_MAILCHIMP_LIST_ID }).requests.map(
        (p) => p.request,
      );
      await pool(requests, concurrency, async (r) => void (await send(auth, r)));
      break;
    }
    case 'braze': {
      const auth = { authorization: `Bearer ${c.brazeApiKey}` };
      const requests = planBraze(consents, { smsSubscriptionGroupId: LOCAL_BRAZE_SMS_GROUP_ID }).requests.map(
        (p) => p.request,
      );
      await pool(requests, concurrency, async (r) => void (await send(auth, r)));
      break;
    }
    case 'attentive': {
      const token = await fetch(`${base}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: c.attentiveClientId,
          client_secret: c.attentiveClientSecret,
        }).toString(),
      });
      requests += 1;
      const auth = {
        authorization: `Bearer ${((await token.json()) as { access_token: string }).access_token}`,
      };
      const planned = planAttentive(consents, { sendSubscribes: false }).requests.map((p) => p.request);
      await pool(planned, concurrency, async (r) => void (await send(auth, r)));
      break;
    }
    case 'onesignal': {
      const auth = { authorization: `Key ${c.onesignalApiKey}` };
      const mapping = { appId: c.onesignalAppId };
      await pool(consents, concurrency, async (consent) => {
        const lookup = await send(auth, oneSignalLookup(consent.externalId, mapping));
        if (lookup.status !== 200) return;
        const subs = parseOneSignalSubscriptions(JSON.parse(lookup.body));
        for (const update of oneSignalUpdates(consent, subs, mapping)) await send(auth, update);
      });
      break;
    }
  }
  return { requests, failures };
}

async function bare(
  sims: ProviderSimulators,
  providers: readonly ProviderName[],
  contacts: Contact[],
): Promise<BareResult> {
  const at = Date.now();
  const consents = (provider: ProviderName): ContactConsent[] =>
    contacts.map((c) => {
      const s = stateOf(c, at);
      const needsEmail = provider === 'sendgrid' || provider === 'mailchimp' || provider === 'attentive';
      return {
        externalId: c.externalId,
        version: s.version,
        channels: { email: 'unsubscribed', sms: 'unsubscribed', push: 'unsubscribed' },
        causationId: s.causationId,
        ...(needsEmail ? { email: c.email } : {}),
        ...(provider === 'attentive' ? { phone: c.phone } : {}),
      };
    });
  const inputs = providers.map((p) => [p, consents(p)] as const);
  const started = process.hrtime.bigint();
  // The connector serves its providers side by side; so does the baseline.
  const results = await Promise.all(inputs.map(([p, list]) => bareProvider(sims, p, list)));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    seconds,
    requests: results.reduce((n, r) => n + r.requests, 0),
    failures: results.reduce((n, r) => n + r.failures, 0),
  };
}

// ---------------------------------------------------------------------------------------------------------
// The connector, in-process.

interface ConnectorResult {
  /** From the first provider call to the last delivery mark for every (provider, contact). */
  readonly seconds: number;
  /** From start-up (consumer group join included) to the last mark. */
  readonly wallSeconds: number;
  readonly marks: number;
  readonly requests: number;
  readonly failures: number;
  readonly outcomes: Record<string, number>;
}

async function runConnector(
  sims: ProviderSimulators,
  db: Pool,
  channel: Channel,
  providers: readonly ProviderName[],
  topics: { state: string; deadLetter: string },
  masterKeys: string,
  run: string,
): Promise<ConnectorResult> {
  const service = `connector-${channel}`;
  const env: NodeJS.ProcessEnv = {
    ...STACK,
    ...simulatedProviders(sims.url).env,
    PORT: '0',
    HOST: '127.0.0.1',
    OPTSTREAM_MASTER_KEYS: masterKeys,
    CONNECTOR_PROVIDERS: providers.join(','),
    CONSUMER_GROUP: `bench-${service}-${run}`,
    STATE_TOPIC: topics.state,
    DEAD_LETTER_TOPIC: topics.deadLetter,
    LOG_LEVEL: 'error',
    ...Object.fromEntries(
      providers.flatMap((p) => [
        [`${p.toUpperCase()}_RATE_PER_SECOND`, UNLIMITED_RATE],
        [`${p.toUpperCase()}_BURST`, UNLIMITED_RATE],
      ]),
    ),
  };
  const config = loadConnectorConfig(channel, env);
  const outcomes: Record<string, number> = {};
  const adapters = createAdapters(providersFromEnv(service, config.CONNECTOR_PROVIDERS, env), {
    metrics: {
      onRequest: (provider, status) => {
        const k = `${provider} ${status}`;
        outcomes[k] = (outcomes[k] ?? 0) + 1;
      },
    },
  });
  const target = N * providers.length;
  const count = async (): Promise<number> =>
    Number(
      (
        await db.query<{ n: string }>(
          `SELECT count(*) AS n FROM connectors.deliveries WHERE connector = $1 AND external_id LIKE $2`,
          [service, `cbench-${run}-%`],
        )
      ).rows[0]?.n ?? 0,
    );
  const started = Date.now();
  let runtime: ConnectorRuntime | undefined;
  let marks = 0;
  try {
    runtime = await startConnectorRuntime({ channel, config, adapters });
    const deadline = Date.now() + 15 * 60_000;
    while ((marks = await count()) < target && Date.now() < deadline) await sleep(200);
  } finally {
    await runtime?.close();
  }
  const ended = Date.now();
  const calls = providers.flatMap((p) => sims.calls(p));
  const firstCall = Math.min(...calls.map((c) => c.at));
  // The last mark's own time (the poll adds up to 200 ms).
  const last = await db.query<{ at: Date }>(
    `SELECT max(delivered_at) AS at FROM connectors.deliveries WHERE connector = $1 AND external_id LIKE $2`,
    [service, `cbench-${run}-%`],
  );
  const lastMark = last.rows[0]?.at?.getTime() ?? ended;
  return {
    seconds: (lastMark - firstCall) / 1000,
    wallSeconds: (lastMark - started) / 1000,
    marks,
    requests: calls.length,
    failures: calls.filter((c) => c.status < 200 || c.status >= 300).length,
    outcomes,
  };
}

// ---------------------------------------------------------------------------------------------------------

interface Row {
  readonly connector: string;
  readonly providers: string;
  readonly contacts: number;
  readonly bareSeconds: number;
  readonly bareContactsPerSecond: number;
  readonly bareRequests: number;
  readonly bareFailures: number;
  readonly connectorSeconds: number;
  readonly connectorWallSeconds: number;
  readonly connectorContactsPerSecond: number;
  readonly connectorDeliveriesPerSecond: number;
  readonly connectorRequests: number;
  readonly connectorFailures: number;
  readonly marks: number;
  readonly ratio: number;
  readonly connectorStatuses: Record<string, number>;
}

async function main(): Promise<void> {
  const run = randomBytes(3).toString('hex');
  const loadBefore = loadavg();
  const kafkaConfig = loadConfig('bench', kafkaConfigSchema, STACK);
  const kafka = createKafkaClient(kafkaConfig, 'bench-connectors');
  const codec = AvroCodec.fromConfig(kafkaConfig);
  const stateTopic = { ...TOPICS.contactPreferencesState, name: `bench.connectors-state.${run}` };
  const deadLetterTopic = { ...TOPICS.connectorsDeadLetter, name: `bench.connectors-dead-letter.${run}` };
  const db = new Pool({ connectionString: STACK.DATABASE_URL, max: 2 });
  const masterKeyB64 = randomBytes(32).toString('base64');
  const masterKeys = new LocalMasterKeyProvider({
    activeKeyId: `bench-${run}`,
    keys: { [`bench-${run}`]: masterKeyB64 },
  });
  const sims = await startProviderSimulators({ port: 0 });
  const contacts = contactsOf(run);
  const rows: Row[] = [];
  const publisher = new EventPublisher(kafka, codec, {});
  try {
    log(`run ${run}: ${N} contacts; load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')}`);
    await provisionContracts(kafka, codec, [stateTopic, deadLetterTopic]);
    await publisher.connect();
    await storeIdentities(db, masterKeys, contacts);
    await produceStates(publisher, stateTopic.name, contacts);
    log(`identities stored and ${N} states produced to ${stateTopic.name}`);

    const only = process.env['BENCH_CONNECTORS']?.split(',');
    for (const { channel, providers } of CONNECTORS.filter((c) => !only || only.includes(c.channel))) {
      sims.reset();
      if (providers.includes('onesignal')) seedOneSignal(sims, contacts);
      log(`bare fetch loop: ${providers.join('+')}…`);
      const b = await bare(sims, providers, contacts);
      sims.reset();
      if (providers.includes('onesignal')) seedOneSignal(sims, contacts);
      log(`connector-${channel}…`);
      const c = await runConnector(
        sims,
        db,
        channel,
        providers,
        { state: stateTopic.name, deadLetter: deadLetterTopic.name },
        `bench-${run}=${masterKeyB64}`,
        run,
      );
      if (c.marks < N * providers.length)
        log(`WARNING: connector-${channel} marked only ${c.marks} of ${N * providers.length}`);
      const row: Row = {
        connector: `connector-${channel}`,
        providers: providers.join('+'),
        contacts: N,
        bareSeconds: round(b.seconds, 2),
        bareContactsPerSecond: Math.round(N / b.seconds),
        bareRequests: b.requests,
        bareFailures: b.failures,
        connectorSeconds: round(c.seconds, 2),
        connectorWallSeconds: round(c.wallSeconds, 2),
        connectorContactsPerSecond: Math.round(c.marks / providers.length / c.seconds),
        connectorDeliveriesPerSecond: Math.round(c.marks / c.seconds),
        connectorRequests: c.requests,
        connectorFailures: c.failures,
        marks: c.marks,
        ratio: round(b.seconds / c.seconds, 2),
        connectorStatuses: c.outcomes,
      };
      rows.push(row);
      log(JSON.stringify(row));
    }
  } finally {
    await publisher.disconnect().catch(() => undefined);
    await sims.close();
    await cleanUp(db, kafka, run, [stateTopic.name, deadLetterTopic.name]);
    await db.end();
  }
  report(rows, run, loadBefore, loadavg());
}

async function cleanUp(
  db: Pool,
  kafka: ReturnType<typeof createKafkaClient>,
  run: string,
  topics: string[],
): Promise<void> {
  const like = `cbench-${run}-%`;
  await db.query(`DELETE FROM connectors.deliveries WHERE external_id LIKE $1`, [like]);
  await db.query(`DELETE FROM connectors.parked WHERE external_id LIKE $1`, [like]);
  await db.query(`DELETE FROM identity.identifiers WHERE external_id LIKE $1`, [like]);
  await db.query(`DELETE FROM identity.data_keys WHERE external_id LIKE $1`, [like]);
  const admin = kafka.admin();
  await admin.connect();
  await admin
    .deleteTopics({ topics })
    .catch((error: unknown) => log(`could not delete topics: ${String(error)}`));
  await admin.disconnect();
}

const round = (n: number, digits: number) => Number(n.toFixed(digits));

function report(rows: Row[], run: string, loadBefore: number[], loadAfter: number[]): void {
  const machine = describeMachine();
  const at = new Date().toISOString();
  const result = {
    benchmark: 'connectors',
    at,
    run,
    machine: {
      ...machine,
      loadAverageBefore: loadBefore.map((l) => round(l, 2)),
      loadAverageAfter: loadAfter.map((l) => round(l, 2)),
    },
    settings: {
      contacts: N,
      state: 'every contact unsubscribed on email, sms and push (version 1), one state message each',
      stateTopicPartitions: TOPICS.contactPreferencesState.partitions,
      partitionsConcurrency: 4,
      clientRateLimit: `raised to ${UNLIMITED_RATE}/s and burst ${UNLIMITED_RATE} per provider (<PROVIDER>_RATE_PER_SECOND, <PROVIDER>_BURST)`,
      concurrencyPerProvider: Object.fromEntries(
        (['sendgrid', 'mailchimp', 'braze', 'attentive', 'onesignal'] as const).map((p) => [
          p,
          DEFAULT_RATE_LIMITS[p].maxConcurrency,
        ]),
      ),
      simulators: 'in-process, no rate limit, no faults',
    },
    rows,
  };
  const dir = resolve(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'connectors.json'), `${JSON.stringify(result, null, 2)}\n`);
  const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' / ');
  const table = [
    '# connectors benchmark',
    '',
    `Measured ${at} on ${machine['cpu']} (${machine['cores']} cores, ${machine['memoryGiB']} GiB, Node ${machine['node']}); load average (1/5/15 min) ${load(loadBefore)} before, ${load(loadAfter)} after — the machine is shared.`,
    `${N} contacts, each one state message (unsubscribed on every channel) on a 12-partition topic; connector runtime in-process with production settings except the client-side rate limit, raised so the token bucket never waits (per-provider concurrency stays at its default: SendGrid 5, Mailchimp 10, Braze 20, Attentive 2, OneSignal 20); simulators in-process, unthrottled.`,
    '',
    '| connector | providers | bare s | bare contacts/s | bare requests | connector s | contacts/s | deliveries/s | requests | non-2xx | connector ÷ bare |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.connector} | ${r.providers} | ${r.bareSeconds} | ${r.bareContactsPerSecond} | ${r.bareRequests} | ${r.connectorSeconds} | ${r.connectorContactsPerSecond} | ${r.connectorDeliveriesPerSecond} | ${r.connectorRequests} | ${r.connectorFailures} | ${r.ratio} |`,
    ),
    '',
    'connector s = first provider call → last delivery mark in `connectors.deliveries` (group join excluded); deliveries/s = (contact, provider) marks per second; bare = the same HTTP calls from the same planners with a bare fetch loop at the same concurrency, addresses in memory, no Kafka, no Postgres.',
    '',
  ].join('\n');
  writeFileSync(join(dir, 'connectors.md'), table);
  console.log(`\n${table}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
