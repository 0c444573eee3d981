import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createPrivateKey, randomBytes, randomInt, randomUUID, type KeyObject } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { kafkaConfigSchema, loadConfig } from '@optstream/config';
import { TOPICS } from '@optstream/contracts';
import { idleTable, type IdleCpu } from './idle-cpu';
import { AvroCodec, createKafkaClient, EventPublisher, provisionContracts } from '@optstream/kafka';
import { down, loadStackSettings, up, type StackSettings } from '@optstream/local-stack';
import {
  generateSystemSecrets,
  LocalSystem,
  serviceEnv,
  servicePorts,
  simulatedProviders,
  SYSTEM_SERVICES,
  type ServiceName,
} from '@optstream/local-system';
import {
  segmentBasicAuth,
  signSendGridEvents,
  signTwilioRequest,
  SimulatorClient,
  TWILIO_SIGNATURE_HEADER,
} from '@optstream/provider-simulators';
import { KAFKA_VERSION } from '../tools/stack/versions';
import { describeMachine } from './machine';

/**
 * The whole system under load (docs/benchmarks.md): every service as its own process on a stack
 * of its own, the provider simulators in a child process that streams every recorded call back to us.
 *
 * 1. fixed rate (1,000 events/s for BENCH_SYSTEM_SECONDS, default 60), then a ramp (+500 events/s every
 *    15 s) until saturation: the accepted rate stops rising or the gateway's p99 answer exceeds 1 s;
 * 2. a realistic mix through the gateway: Segment tracks and identifies, signed SendGrid webhooks, signed
 *    Twilio STOP/START, some duplicates and late events; plus "probes": opt-outs (email via SendGrid
 *    webhook, SMS via Twilio STOP, push via Segment track) of known contacts subscribed everywhere,
 *    exactly one per contact, so each provider call about that contact after the send is caused by it;
 * 3. measured: accepted events/s, gateway answer p50/p99, end-to-end probe latency (sent → the LAST
 *    platform that represents the change received its call, from the simulators' `RecordedCall.at`),
 *    split at the state message's Kafka timestamp on contact-preferences.state.v1 (upstream vs connector
 *    share), peak RSS and CPU per process (from /proc);
 * 4. baseline in the same run, on the same broker: a bare producer/consumer pair at the same rate
 *    (produce → consume latency), and Kafka's own EndToEndLatency tool from the stack's jars.
 */
const FIXED_RATE = Number(process.env['BENCH_SYSTEM_RATE'] ?? 1_000);
const FIXED_SECONDS = Number(process.env['BENCH_SYSTEM_SECONDS'] ?? 60);
const RAMP_STEP = Number(process.env['BENCH_RAMP_STEP'] ?? 500);
const RAMP_STEP_SECONDS = Number(process.env['BENCH_RAMP_STEP_SECONDS'] ?? 15);
const RAMP_MAX_STEPS = Number(process.env['BENCH_RAMP_MAX_STEPS'] ?? 6);
const PROBES_PER_SECOND = Number(process.env['BENCH_PROBES_PER_SECOND'] ?? 5);
const BACKGROUND_CONTACTS = Number(process.env['BENCH_BACKGROUND_CONTACTS'] ?? 300);
const DRAIN_SECONDS = Number(process.env['BENCH_DRAIN_SECONDS'] ?? 60);
/** Seconds with no traffic at all, after the preparation settled, to measure idle CPU. */
const IDLE_SECONDS = Number(process.env['BENCH_IDLE_SECONDS'] ?? 20);
const MAX_IN_FLIGHT = 4_000;
/** Keep-alive sockets from the load generator to the gateway. */
const SOCKETS = Number(process.env['BENCH_SOCKETS'] ?? 512);
/** Slot: ports no test suite uses (suites use 28xxx/38xxx/39xxx/48xxx/49xxx/5546x/5547x). */
const SLOT = {
  services: 50_000,
  kafka: 59092,
  controller: 59093,
  registry: 58181,
  management: 59101,
  postgres: 55489,
};
const ROOT = resolve(__dirname, '..');
const log = (line: string) => console.log(`[system bench] ${new Date().toISOString().slice(11, 19)} ${line}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type ProbeKind = 'email' | 'sms' | 'push';
/** The platforms that represent each kind of opt-out (and so must receive a call for it). */
const EXPECTED: Record<ProbeKind, readonly string[]> = {
  email: ['sendgrid', 'mailchimp', 'braze', 'attentive', 'onesignal'],
  sms: ['mailchimp', 'braze', 'attentive', 'onesignal'],
  push: ['mailchimp', 'braze', 'onesignal'],
};

interface Person {
  readonly externalId: string;
  readonly email: string;
  readonly phone: string;
}

interface Probe {
  readonly person: Person;
  readonly kind: ProbeKind;
  sentAt?: number;
  answeredAt?: number;
  phase?: number;
  status?: number;
  stateAt?: number;
  readonly platformAt: Map<string, number>;
}

interface Sent {
  readonly phase: number;
  readonly sentAt: number;
  answeredAt?: number;
  status?: number;
}

interface Phase {
  readonly name: string;
  readonly targetRate: number;
  readonly seconds: number;
  startedAt: number;
  endedAt: number;
  generated: number;
  dropped: number;
}

/** A compact recorded call streamed by the simulators' child process. */
interface CallNote {
  readonly p: string;
  readonly at: number;
  readonly m: string;
  readonly keys: readonly string[];
}

/**
 * The simulators in a child process of our own: every 200 ms it drains the recorded calls (copy, then
 * clear, in one synchronous step, so none is lost) and sends each as provider, arrival time and the
 * contact keys it is about (email, phone, external id or OneSignal subscription id).
 */
const SIMULATOR_CHILD = `
const { startProviderSimulators } = require('@optstream/provider-simulators');
const keysOf = (c) => {
  const b = c.body && typeof c.body === 'object' ? c.body : {};
  const last = decodeURIComponent(c.path.split('?')[0].split('/').pop() || '');
  switch (c.provider) {
    case 'sendgrid': return Array.isArray(b.recipient_emails) ? b.recipient_emails : [last];
    case 'mailchimp': return b.email_address ? [b.email_address] : [];
    case 'braze': return Array.isArray(b.attributes) ? b.attributes.map((a) => a.external_id) : [];
    case 'attentive': return b.user ? [b.user.phone, b.user.email].filter(Boolean) : [];
    case 'onesignal': return c.method === 'PATCH' ? [last] : [];
    default: return [];
  }
};
(async () => {
  const sims = await startProviderSimulators({ port: Number(process.env.SIM_PORT), host: '127.0.0.1' });
  const drain = () => {
    const calls = sims.calls();
    sims.clearCalls();
    if (calls.length > 0)
      process.send(calls.filter((c) => c.status === 0 || (c.status >= 200 && c.status < 300))
        .map((c) => ({ p: c.provider, at: c.at, m: c.method, keys: keysOf(c) })));
  };
  setInterval(drain, 200);
  process.on('message', (m) => { if (m === 'drain') { drain(); process.send('drained'); } });
  process.on('SIGTERM', () => { drain(); sims.close().then(() => process.exit(0)); });
  process.send('ready');
})().catch((e) => { console.error(e); process.exit(1); });
`;

// ---------------------------------------------------------------------------------------------------------
// /proc sampling: RSS and CPU of each process tree (a service, a stack component).

const CLOCK_TICKS = 100;

function procChildren(): Map<number, number[]> {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  return children;
}

function treeOf(pid: number, children: Map<number, number[]>): number[] {
  const all = [pid];
  for (let i = 0; i < all.length; i++) all.push(...(children.get(all[i] ?? -1) ?? []));
  return all;
}

function sampleProcess(pid: number): { cpuSeconds: number; rssMiB: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 to 17 (utime, stime, cutime, cstime), counted from field 3 after the command. The
    // children's part keeps a tree's sum from falling when a child exits (a PostgreSQL backend's CPU
    // moves to the postmaster's cutime/cstime when it is reaped).
    const cpuSeconds =
      (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS;
    const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return { cpuSeconds, rssMiB: Number(rss ?? 0) / 1024 };
  } catch {
    return undefined;
  }
}

class ProcessSampler {
  private readonly stats = new Map<string, { peakRssMiB: number; cpu: { at: number; seconds: number }[] }>();
  private timer?: NodeJS.Timeout;

  constructor(private readonly roots: () => Map<string, number | undefined>) {}

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), 1_000);
  }

  stop(): void {
    clearInterval(this.timer);
    this.sample();
  }

  private sample(): void {
    const children = procChildren();
    const at = Date.now();
    for (const [name, pid] of this.roots()) {
      if (pid === undefined) continue;
      let cpu = 0;
      let rss = 0;
      // This process's tree holds every service and the stack: count the load generator on its own.
      for (const p of pid === process.pid ? [pid] : treeOf(pid, children)) {
        const s = sampleProcess(p);
        if (s) {
          cpu += s.cpuSeconds;
          rss += s.rssMiB;
        }
      }
      const entry = this.stats.get(name) ?? { peakRssMiB: 0, cpu: [] };
      entry.peakRssMiB = Math.max(entry.peakRssMiB, rss);
      entry.cpu.push({ at, seconds: cpu });
      this.stats.set(name, entry);
    }
  }

  /** Per process: CPU seconds used between the first and the last sample in [from, to], and that span. */
  used(from: number, to: number): Record<string, { cpuSeconds: number; seconds: number }> {
    const out: Record<string, { cpuSeconds: number; seconds: number }> = {};
    for (const [name, s] of this.stats) {
      const inside = s.cpu.filter((c) => c.at >= from && c.at <= to);
      const first = inside[0];
      const last = inside[inside.length - 1];
      if (first && last && last.at > first.at)
        out[name] = { cpuSeconds: last.seconds - first.seconds, seconds: (last.at - first.at) / 1000 };
    }
    return out;
  }

  /** Per process: peak RSS, average cores used in [from, to], and the highest 5-second average. */
  summary(
    from: number,
    to: number,
  ): Record<string, { peakRssMiB: number; avgCpuPercent: number; peakCpuPercent: number }> {
    const out: Record<string, { peakRssMiB: number; avgCpuPercent: number; peakCpuPercent: number }> = {};
    for (const [name, s] of this.stats) {
      const inside = s.cpu.filter((c) => c.at >= from && c.at <= to);
      const first = inside[0];
      const last = inside[inside.length - 1];
      const avg =
        first && last && last.at > first.at
          ? (last.seconds - first.seconds) / ((last.at - first.at) / 1000)
          : 0;
      let peak = 0;
      for (let i = 5; i < inside.length; i++) {
        const a = inside[i - 5];
        const b = inside[i];
        if (a && b && b.at > a.at) peak = Math.max(peak, (b.seconds - a.seconds) / ((b.at - a.at) / 1000));
      }
      out[name] = {
        peakRssMiB: Math.round(s.peakRssMiB),
        avgCpuPercent: Math.round(avg * 100),
        peakCpuPercent: Math.round(peak * 100),
      };
    }
    return out;
  }
}

/** The pid listening on a TCP port (the stack's Java and PostgreSQL processes). */
function pidOnPort(port: number): number | undefined {
  const run = spawnSync('ss', ['-ltnpH', `sport = :${port}`], { encoding: 'utf8' });
  const pid = /pid=(\d+)/.exec(run.stdout ?? '')?.[1];
  return pid ? Number(pid) : undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Statistics.

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

function stats(values: readonly number[]): { n: number; p50: number; p95: number; p99: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: Math.round(percentile(sorted, 50)),
    p95: Math.round(percentile(sorted, 95)),
    p99: Math.round(percentile(sorted, 99)),
    max: Math.round(sorted[sorted.length - 1] ?? NaN),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Baselines: a bare producer/consumer pair at the same rate, and Kafka's EndToEndLatency tool.

async function bareKafka(
  kafka: Kafka,
  codec: AvroCodec,
  rate: number,
  seconds: number,
): Promise<ReturnType<typeof stats>> {
  const topic = `bench.system-floor.${randomBytes(3).toString('hex')}`;
  const admin = kafka.admin();
  await admin.connect();
  // A freshly started broker may not know the new partitions yet: retry the leader wait.
  for (let attempt = 1; ; attempt++) {
    try {
      await admin.createTopics({
        topics: [{ topic, numPartitions: 12, replicationFactor: 1 }],
        waitForLeaders: true,
      });
      break;
    } catch (error) {
      if (attempt >= 5) throw error;
      await sleep(1_000);
    }
  }
  const consumer = kafka.consumer({ groupId: `${topic}-g`, maxWaitTimeInMs: 500 });
  // The services' own publisher: idempotent, acks=all, one request in flight, group commit.
  const producer = new EventPublisher(kafka, codec, {});
  const latencies: number[] = [];
  await Promise.all([consumer.connect(), producer.connect()]);
  await consumer.subscribe({ topic, fromBeginning: true });
  let joined = false;
  consumer.on(consumer.events.GROUP_JOIN, () => (joined = true));
  await consumer.run({
    eachMessage: async ({ message }) => {
      latencies.push(Date.now() - Number(message.value?.toString() ?? 0));
    },
  });
  while (!joined) await sleep(100);
  const total = rate * seconds;
  const started = Date.now();
  const sends: Promise<unknown>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    if (due > Date.now()) await sleep(due - Date.now());
    sends.push(producer.publishRaw(topic, [{ key: `k${i % 5000}`, value: Buffer.from(String(Date.now())) }]));
  }
  await Promise.all(sends);
  const deadline = Date.now() + 30_000;
  while (latencies.length < total && Date.now() < deadline) await sleep(100);
  await consumer.disconnect();
  await producer.disconnect();
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
  return stats(latencies);
}

function kafkaEndToEndTool(stack: StackSettings, brokers: string): Record<string, number> | string {
  const libs = join(stack.cacheDir, `kafka-${KAFKA_VERSION}`, 'libs');
  const topic = `bench.system-e2e-tool.${randomBytes(3).toString('hex')}`;
  const run = spawnSync(
    process.env['JAVA'] ?? 'java',
    [
      '-Xmx256m',
      '-cp',
      `${libs}/*`,
      'org.apache.kafka.tools.EndToEndLatency',
      brokers,
      topic,
      '3000',
      'all',
      '200',
    ],
    { encoding: 'utf8', timeout: 120_000 },
  );
  if (run.status !== 0) return `EndToEndLatency failed: ${(run.stderr ?? '').slice(0, 300)}`;
  const out = run.stdout;
  const avg = /Avg latency: ([\d.]+) ms/.exec(out)?.[1];
  const pct = /Percentiles: 50th = (\d+), 99th = (\d+), 99.9th = (\d+)/.exec(out);
  return {
    messages: 3000,
    avgMs: Number(avg),
    p50Ms: Number(pct?.[1]),
    p99Ms: Number(pct?.[2]),
    p999Ms: Number(pct?.[3]),
  };
}

// ---------------------------------------------------------------------------------------------------------
// The load generator's client: the same signed requests as the simulators' WebhookSender, but over a
// keep-alive node:http agent with a bounded number of sockets. (fetch opens a socket per concurrent
// request: at 1,000 requests/s that made the generator, not the gateway, the bottleneck.)

class GatewayClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: SOCKETS });
  private readonly url: URL;

  constructor(
    private readonly options: {
      readonly gatewayUrl: string;
      readonly sendgridPrivateKey: KeyObject | string;
      readonly twilioAuthToken: string;
      readonly twilioWebhookUrl: string;
      readonly segmentWriteKey: string;
    },
  ) {
    this.url = new URL(options.gatewayUrl);
  }

  segmentTrack(call: Record<string, unknown>): Promise<{ status: number }> {
    return this.segment('/v1/track', { type: 'track', ...call });
  }

  segmentIdentify(call: Record<string, unknown>): Promise<{ status: number }> {
    return this.segment('/v1/identify', { type: 'identify', ...call });
  }

  sendgrid(events: readonly object[]): Promise<{ status: number }> {
    const { body, headers } = signSendGridEvents(events, this.options.sendgridPrivateKey);
    return this.post('/webhooks/sendgrid', body, headers);
  }

  twilioSms(sms: { from: string; to: string; body: string }): Promise<{ status: number }> {
    const sid = `SM${randomBytes(16).toString('hex')}`;
    const params: Record<string, string> = {
      ToCountry: 'US',
      SmsMessageSid: sid,
      NumMedia: '0',
      SmsSid: sid,
      SmsStatus: 'received',
      Body: sms.body,
      To: sms.to,
      NumSegments: '1',
      MessageSid: sid,
      AccountSid: `AC${'0'.repeat(32)}`,
      From: sms.from,
      ApiVersion: '2010-04-01',
    };
    return this.post('/webhooks/twilio/sms', new URLSearchParams(params).toString(), {
      'content-type': 'application/x-www-form-urlencoded',
      [TWILIO_SIGNATURE_HEADER]: signTwilioRequest(
        this.options.twilioAuthToken,
        this.options.twilioWebhookUrl,
        params,
      ),
    });
  }

  close(): void {
    this.agent.destroy();
  }

  private segment(path: string, call: Record<string, unknown>): Promise<{ status: number }> {
    const now = new Date().toISOString();
    const body = JSON.stringify({ messageId: randomUUID(), timestamp: now, sentAt: now, ...call });
    return this.post(path, body, {
      'content-type': 'application/json',
      authorization: segmentBasicAuth(this.options.segmentWriteKey),
    });
  }

  private post(path: string, body: string, headers: Record<string, string>): Promise<{ status: number }> {
    return new Promise((resolveAnswer, fail) => {
      const req = request(
        {
          host: this.url.hostname,
          port: this.url.port,
          path,
          method: 'POST',
          agent: this.agent,
          headers: { ...headers, 'content-length': Buffer.byteLength(body) },
          timeout: 60_000,
        },
        (res) => {
          res.resume();
          res.on('end', () => resolveAnswer({ status: res.statusCode ?? 0 }));
          res.on('error', fail);
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', fail);
      req.end(body);
    });
  }
}

// ---------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const started = Date.now();
  const run = randomBytes(3).toString('hex');
  const loadBefore = loadavg();
  const root = mkdtempSync(join(tmpdir(), 'optstream-bench-'));
  chmodSync(root, 0o755);
  const ports = servicePorts(SLOT.services);
  const secrets = generateSystemSecrets();
  const stackEnv: NodeJS.ProcessEnv = {
    ...process.env,
    OPTSTREAM_STACK_DIR: root,
    // Downloads may be shared between checkouts (tools/stack/settings.ts).
    OPTSTREAM_STACK_CACHE: process.env['OPTSTREAM_STACK_CACHE'] ?? resolve(ROOT, '.stack/cache'),
    OPTSTREAM_KAFKA_PORT: String(SLOT.kafka),
    OPTSTREAM_KAFKA_CONTROLLER_PORT: String(SLOT.controller),
    OPTSTREAM_REGISTRY_PORT: String(SLOT.registry),
    OPTSTREAM_REGISTRY_MANAGEMENT_PORT: String(SLOT.management),
    OPTSTREAM_POSTGRES_PORT: String(SLOT.postgres),
  };
  delete stackEnv['OPTSTREAM_EXTERNAL_DATABASE_URL'];
  const stack = loadStackSettings(stackEnv);
  let system: LocalSystem | undefined;
  let simulatorChild: ChildProcess | undefined;
  const cleanUp = () => {
    system?.killAllNow();
    simulatorChild?.kill('SIGTERM');
  };
  process.once('SIGINT', () => {
    cleanUp();
    void down(stack, () => undefined).finally(() => process.exit(130));
  });
  try {
    log(
      `run ${run}; load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')}; starting a stack of its own…`,
    );
    const endpoints = await up(stack, () => undefined);
    const kafkaConfig = loadConfig('bench', kafkaConfigSchema, {
      KAFKA_BROKERS: endpoints.kafkaBrokers,
      SCHEMA_REGISTRY_URL: endpoints.registryUrl,
    });
    const kafka = createKafkaClient(kafkaConfig, 'bench-system');
    await provisionContracts(kafka, AvroCodec.fromConfig(kafkaConfig));

    log('baselines: bare producer → consumer at the same rate, and kafka.tools.EndToEndLatency…');
    const floor = await bareKafka(
      kafka,
      AvroCodec.fromConfig(kafkaConfig),
      FIXED_RATE,
      Math.min(20, FIXED_SECONDS),
    );
    const tool = kafkaEndToEndTool(stack, endpoints.kafkaBrokers);
    log(
      `bare Kafka produce→consume at ${FIXED_RATE}/s: ${JSON.stringify(floor)}; EndToEndLatency: ${JSON.stringify(tool)}`,
    );

    // The simulators: our own child, streaming recorded calls.
    const notes: CallNote[] = [];
    simulatorChild = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', '-e', SIMULATOR_CHILD],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          TS_NODE_PROJECT: join(ROOT, 'tsconfig.base.json'),
          SIM_PORT: String(ports['provider-simulators']),
        },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      },
    );
    const child = simulatorChild;
    await new Promise<void>((ready, fail) => {
      child.on('message', (m) => {
        if (m === 'ready') ready();
        else if (Array.isArray(m)) for (const n of m as CallNote[]) notes.push(n);
      });
      child.once('exit', (code) => fail(new Error(`simulators exited (${code})`)));
    });
    const simulatorsUrl = `http://127.0.0.1:${ports['provider-simulators']}`;
    const providers = simulatedProviders(simulatorsUrl);

    const cpuProfileDir = process.env['BENCH_CPU_PROFILE_DIR'];
    system = new LocalSystem({
      logDir: stack.logDir,
      ports,
      // A CPU profile of each service, written when it stops (docs/benchmarks.md "Profile").
      nodeArgs: cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`] : [],
      envOf: (name) =>
        serviceEnv(name, {
          stack: {
            kafkaBrokers: endpoints.kafkaBrokers,
            registryUrl: endpoints.registryUrl,
            databaseUrl: endpoints.databaseUrl,
          },
          secrets,
          ports,
          providers,
          spoolDir: join(root, 'spool'),
          // The simulators are unthrottled: the adapters' conservative default rate limits (SendGrid 10/s,
          // Attentive 5/s, Mailchimp 50/s, docs/providers.md) would otherwise be what this measures.
          // BENCH_PROVIDER_LIMITS=defaults keeps them, to see the system under the real limits.
          extra: {
            LOG_LEVEL: 'warn',
            ...(process.env['BENCH_PROVIDER_LIMITS'] === 'defaults'
              ? {}
              : Object.fromEntries(
                  ['SENDGRID', 'MAILCHIMP', 'BRAZE', 'ONESIGNAL', 'ATTENTIVE'].flatMap((p) => [
                    [`${p}_RATE_PER_SECOND`, '100000'],
                    [`${p}_BURST`, '1000'],
                  ]),
                )),
          },
        }),
    });
    const services = SYSTEM_SERVICES.map((s) => s.name).filter((n) => n !== 'provider-simulators');
    log(`starting ${services.join(', ')}…`);
    await system.start(services);
    const running = system;
    const sampler = new ProcessSampler(() => {
      const roots = new Map<string, number | undefined>(
        services.map((s: ServiceName) => [s, running.pid(s)]),
      );
      roots.set('provider-simulators (bench child)', child.pid);
      roots.set('kafka', pidOnPort(SLOT.kafka));
      roots.set('schema registry', pidOnPort(SLOT.registry));
      roots.set('postgres (all backends)', pidOnPort(SLOT.postgres));
      roots.set('load generator (this process)', process.pid);
      return roots;
    });
    sampler.start();

    const gatewayUrl = `http://127.0.0.1:${ports['ingestion-gateway']}`;
    const writeKey = secrets.SEGMENT_WRITE_KEYS.split('=')[0] ?? '';
    const webhooks = new GatewayClient({
      gatewayUrl,
      sendgridPrivateKey: createPrivateKey(secrets.SENDGRID_SIGNING_PRIVATE_KEY),
      twilioAuthToken: secrets.TWILIO_AUTH_TOKEN,
      twilioWebhookUrl: `${gatewayUrl}/webhooks/twilio/sms`,
      segmentWriteKey: writeKey,
    });
    const simulators = new SimulatorClient(simulatorsUrl);

    // People: probes (one opt-out each) and background contacts; all identified and subscribed everywhere.
    const probeCount = PROBES_PER_SECOND * (FIXED_SECONDS + RAMP_STEP_SECONDS * RAMP_MAX_STEPS);
    let phoneSeq = 0;
    const person = (label: string): Person => {
      const externalId = `${label}-${run}-${randomUUID().slice(0, 8)}`;
      return {
        externalId,
        email: `${externalId}@bench.example`,
        phone: `+1415${2_000_000 + phoneSeq++}`,
      };
    };
    const probes: Probe[] = Array.from({ length: probeCount }, (_, i) => ({
      person: person('probe'),
      kind: (['email', 'sms', 'push'] as const)[i % 3] ?? 'email',
      platformAt: new Map(),
    }));
    const background: Person[] = Array.from({ length: BACKGROUND_CONTACTS }, () => person('bg'));
    const everyone = [...probes.map((p) => p.person), ...background];
    const byKey = new Map<string, string>();
    const subIdOwner = new Map<string, string>();
    log(
      `preparing ${probes.length} probe and ${background.length} background contacts (OneSignal users, identifies)…`,
    );
    await pool(everyone, 64, async (p) => {
      const user = await simulators.seedOnesignalUser(p.externalId, [
        { type: 'iOSPush', token: `tok-${p.externalId}` },
        { type: 'Email', token: p.email },
        { type: 'SMS', token: p.phone },
      ]);
      for (const s of user.subscriptions) subIdOwner.set(s.id, p.externalId);
      byKey.set(p.email, p.externalId);
      byKey.set(p.phone, p.externalId);
      byKey.set(p.externalId, p.externalId);
      const answer = await webhooks.segmentIdentify({
        userId: p.externalId,
        timestamp: new Date(Date.now() - 86_400_000).toISOString(),
        traits: {
          email: p.email,
          phone: p.phone,
          email_subscribed_status: 'subscribed',
          sms_subscribed_status: 'subscribed',
          push_notification_enabled: true,
        },
      });
      if (answer.status >= 300) throw new Error(`identify answered ${answer.status}`);
    });
    for (const [id, owner] of subIdOwner) byKey.set(id, owner);
    // Settled = Braze has seen every contact (its call comes after identity, projection and the connector).
    const seenAtBraze = new Set<string>();
    const settleDeadline = Date.now() + 180_000;
    let consumed = 0;
    while (seenAtBraze.size < everyone.length && Date.now() < settleDeadline) {
      for (; consumed < notes.length; consumed++) {
        const n = notes[consumed];
        if (n?.p === 'braze') for (const k of n.keys) seenAtBraze.add(k);
      }
      await sleep(500);
    }
    log(`prepared: ${seenAtBraze.size}/${everyone.length} contacts on Braze`);
    await sleep(3_000);
    notes.length = 0;

    // Idle: the system running with no traffic at all. What it costs then is polling, not work.
    const idleFrom = Date.now();
    await sleep(IDLE_SECONDS * 1000);
    const idle = idleCpu(sampler.used(idleFrom, Date.now()));
    log(`idle: ${JSON.stringify(idle)}`);

    // Watch the state topic: the Kafka timestamp of each probe's state message.
    const probeById = new Map(probes.map((p) => [p.person.externalId, p]));
    const watcher = kafka.consumer({ groupId: `bench-state-watch-${run}`, maxWaitTimeInMs: 100 });
    await watcher.connect();
    await watcher.subscribe({ topic: TOPICS.contactPreferencesState.name, fromBeginning: false });
    let watching = false;
    watcher.on(watcher.events.GROUP_JOIN, () => (watching = true));
    await watcher.run({
      eachMessage: async ({ message }) => {
        const probe = probeById.get(message.key?.toString() ?? '');
        const at = Number(message.timestamp);
        if (probe?.sentAt !== undefined && probe.stateAt === undefined && at >= probe.sentAt - 5)
          probe.stateAt = at;
      },
    });
    while (!watching) await sleep(100);

    // The load.
    const sent: Sent[] = [];
    const history: { body: () => Promise<{ status: number }> }[] = [];
    let nextProbe = 0;
    const phases: Phase[] = [];
    let inFlight = 0;
    const send = (phase: number, make: () => Promise<{ status: number }>, probe?: Probe) => {
      const record: Sent = { phase, sentAt: Date.now() };
      sent.push(record);
      if (probe) {
        probe.sentAt = record.sentAt;
        probe.phase = phase;
      }
      inFlight++;
      make()
        .then(
          (answer) => {
            record.answeredAt = Date.now();
            record.status = answer.status;
            if (probe) {
              probe.answeredAt = record.answeredAt;
              probe.status = answer.status;
            }
          },
          () => {
            record.answeredAt = Date.now();
            record.status = 0;
          },
        )
        .finally(() => inFlight--);
    };
    const oneEvent = (phase: number, i: number, probeDue: boolean) => {
      if (probeDue && nextProbe < probes.length) {
        const probe = probes[nextProbe++] as Probe;
        const p = probe.person;
        const make =
          probe.kind === 'email'
            ? () =>
                webhooks.sendgrid([
                  {
                    email: p.email,
                    timestamp: Math.floor(Date.now() / 1000),
                    event: 'unsubscribe',
                    sg_event_id: `bench-${randomUUID()}`,
                    sg_message_id: `msg-${randomUUID()}`,
                  },
                ])
            : probe.kind === 'sms'
              ? () => webhooks.twilioSms({ from: p.phone, to: '+18005550100', body: 'STOP' })
              : () =>
                  webhooks.segmentTrack({
                    userId: p.externalId,
                    event: 'Marketing Preference Updated',
                    timestamp: new Date().toISOString(),
                    properties: {
                      channel: 'push',
                      new_status: 'unsubscribed',
                      source_of_change: 'Mobile App Settings',
                    },
                  });
        send(phase, make, probe);
        return;
      }
      const b = background[randomInt(background.length)] as Person;
      const roll = i % 20;
      if (roll < 9) {
        // Segment track, 1 in 9 of them late (an hour old).
        const late = roll === 0;
        const messageId = randomUUID();
        const timestamp = new Date(Date.now() - (late ? 3_600_000 : 0)).toISOString();
        const channel = (['email', 'sms', 'push'] as const)[randomInt(3)];
        const status = randomInt(2) === 0 ? 'subscribed' : 'unsubscribed';
        const make = () =>
          webhooks.segmentTrack({
            userId: b.externalId,
            messageId,
            event: 'Marketing Preference Updated',
            timestamp,
            properties: { channel, new_status: status, source_of_change: 'Benchmark' },
          });
        if (history.length < 10_000) history.push({ body: make });
        else history[randomInt(history.length)] = { body: make };
        send(phase, make);
      } else if (roll < 11) {
        // Identify: mostly a known contact again, sometimes a new one.
        const who = roll === 9 ? person('new') : b;
        send(phase, () =>
          webhooks.segmentIdentify({
            userId: who.externalId,
            traits: { email: who.email, phone: who.phone },
          }),
        );
      } else if (roll < 14) {
        const event = randomInt(4) === 0 ? 'group_resubscribe' : 'unsubscribe';
        send(phase, () =>
          webhooks.sendgrid([
            {
              email: b.email,
              timestamp: Math.floor(Date.now() / 1000),
              event,
              asm_group_id: 42,
              sg_event_id: `bench-${randomUUID()}`,
              sg_message_id: `msg-${randomUUID()}`,
            },
          ]),
        );
      } else if (roll < 17) {
        const body = randomInt(3) === 0 ? 'START' : 'STOP';
        send(phase, () => webhooks.twilioSms({ from: b.phone, to: '+18005550100', body }));
      } else {
        // A client retry: the same Segment request again (same messageId).
        const again = history[randomInt(Math.max(1, history.length))];
        if (again) send(phase, again.body);
        else
          send(phase, () => webhooks.segmentIdentify({ userId: b.externalId, traits: { email: b.email } }));
      }
    };
    const runPhase = async (name: string, rate: number, seconds: number): Promise<Phase> => {
      const index = phases.length;
      const phase: Phase = {
        name,
        targetRate: rate,
        seconds,
        startedAt: Date.now(),
        endedAt: 0,
        generated: 0,
        dropped: 0,
      };
      phases.push(phase);
      const total = rate * seconds;
      const probeEvery = Math.max(1, Math.round(rate / PROBES_PER_SECOND));
      let i = 0;
      while (i < total) {
        const due = phase.startedAt + (i * 1000) / rate;
        const now = Date.now();
        if (due > now) await sleep(Math.min(due - now, 50));
        // Catch up on every event that is due (timers are coarse under load).
        const until = Math.min(total, Math.floor(((Date.now() - phase.startedAt) * rate) / 1000) + 1);
        for (; i < until; i++) {
          if (inFlight >= MAX_IN_FLIGHT) phase.dropped++;
          else {
            oneEvent(index, i, i % probeEvery === 0);
            phase.generated++;
          }
        }
      }
      phase.endedAt = Date.now();
      return phase;
    };
    const phaseSummary = (index: number) => {
      const phase = phases[index] as Phase;
      const mine = sent.filter((s) => s.phase === index);
      const ok = mine.filter((s) => s.status !== undefined && s.status >= 200 && s.status < 300);
      const answers = mine
        .filter((s) => s.answeredAt !== undefined)
        .map((s) => (s.answeredAt ?? 0) - s.sentAt);
      return {
        phase: phase.name,
        targetRate: phase.targetRate,
        seconds: Math.round((phase.endedAt - phase.startedAt) / 100) / 10,
        generated: phase.generated,
        droppedByGenerator: phase.dropped,
        // Answers received while the phase ran: the rate the gateway actually accepted at.
        acceptedPerSecond: Math.round(
          ok.filter((s) => (s.answeredAt ?? 0) <= phase.endedAt).length /
            ((phase.endedAt - phase.startedAt) / 1000),
        ),
        acceptedTotal: ok.length,
        non2xx: mine.filter((s) => s.status !== undefined && (s.status < 200 || s.status >= 300)).length,
        unanswered: mine.filter((s) => s.status === undefined).length,
        gatewayAnswer: stats(answers),
      };
    };

    const loadStarted = Date.now();
    log(`fixed rate: ${FIXED_RATE} events/s for ${FIXED_SECONDS} s…`);
    await runPhase(`fixed ${FIXED_RATE}/s`, FIXED_RATE, FIXED_SECONDS);
    await sleep(2_000);
    log(`fixed: ${JSON.stringify(phaseSummary(0))}`);
    let best = phaseSummary(0).acceptedPerSecond;
    let saturatedBy = 'ramp step limit reached';
    for (let step = 1; step <= RAMP_MAX_STEPS; step++) {
      const rate = FIXED_RATE + step * RAMP_STEP;
      log(`ramp: ${rate} events/s for ${RAMP_STEP_SECONDS} s…`);
      await runPhase(`ramp ${rate}/s`, rate, RAMP_STEP_SECONDS);
      const s = phaseSummary(phases.length - 1);
      log(`ramp: ${JSON.stringify(s)}`);
      if (s.gatewayAnswer.p99 > 1_000) {
        saturatedBy = `gateway p99 ${s.gatewayAnswer.p99} ms > 1 s at ${rate} events/s`;
        break;
      }
      if (s.acceptedPerSecond < best * 1.05) {
        saturatedBy = `accepted rate stopped rising at ${rate} events/s (${s.acceptedPerSecond}/s vs best ${best}/s)`;
        best = Math.max(best, s.acceptedPerSecond);
        break;
      }
      best = Math.max(best, s.acceptedPerSecond);
    }
    const loadEnded = Date.now();
    log(`load done (${saturatedBy}); draining up to ${DRAIN_SECONDS} s…`);
    const complete = (p: Probe) => EXPECTED[p.kind].every((platform) => p.platformAt.has(platform));
    const sentProbes = () =>
      probes.filter((p) => p.sentAt !== undefined && p.status !== undefined && p.status < 300);
    let matched = 0;
    const match = () => {
      for (; matched < notes.length; matched++) {
        const n = notes[matched] as CallNote;
        for (const key of n.keys) {
          const owner = byKey.get(key);
          const probe = owner ? probeById.get(owner) : undefined;
          if (!probe || probe.sentAt === undefined || n.at < probe.sentAt) continue;
          if (!probe.platformAt.has(n.p)) probe.platformAt.set(n.p, n.at);
        }
      }
    };
    const drainDeadline = Date.now() + DRAIN_SECONDS * 1000;
    while (Date.now() < drainDeadline) {
      match();
      if (inFlight === 0 && sentProbes().every(complete)) break;
      await sleep(500);
    }
    match();
    sampler.stop();
    webhooks.close();
    const summaries = phases.map((_, i) => phaseSummary(i));
    const probeRows = phases.map((phase, index) => {
      const mine = sentProbes().filter((p) => p.phase === index);
      const done = mine.filter(complete);
      const e2e = done.map((p) => Math.max(...p.platformAt.values()) - (p.sentAt ?? 0));
      const withState = done.filter((p) => p.stateAt !== undefined);
      const upstream = withState.map((p) => (p.stateAt ?? 0) - (p.sentAt ?? 0));
      const connector = withState.map((p) => Math.max(...p.platformAt.values()) - (p.stateAt ?? 0));
      const share = withState.map((p) => {
        const total = Math.max(...p.platformAt.values()) - (p.sentAt ?? 0);
        return total > 0 ? ((Math.max(...p.platformAt.values()) - (p.stateAt ?? 0)) / total) * 100 : 0;
      });
      const byKind = Object.fromEntries(
        (['email', 'sms', 'push'] as const).map((kind) => [
          kind,
          stats(
            done
              .filter((p) => p.kind === kind)
              .map((p) => Math.max(...p.platformAt.values()) - (p.sentAt ?? 0)),
          ),
        ]),
      );
      return {
        phase: phase.name,
        probesSent: mine.length,
        probesComplete: done.length,
        endToEnd: stats(e2e),
        byKind,
        upstream: stats(upstream),
        connector: stats(connector),
        connectorSharePercentMedian: Math.round(
          percentile(
            [...share].sort((a, b) => a - b),
            50,
          ),
        ),
        within1s: e2e.length
          ? Math.round((e2e.filter((v) => v <= 1000).length / e2e.length) * 1000) / 10
          : NaN,
        within250ms: e2e.length
          ? Math.round((e2e.filter((v) => v <= 250).length / e2e.length) * 1000) / 10
          : NaN,
      };
    });
    await watcher.disconnect();
    const resources = sampler.summary(loadStarted, loadEnded);
    const loadAfter = loadavg();
    report({
      run,
      loadBefore,
      loadAfter,
      floor,
      tool,
      phases: summaries,
      probes: probeRows,
      resources,
      idle,
      saturatedBy,
      maxAcceptedPerSecond: Math.max(...summaries.map((s) => s.acceptedPerSecond)),
      minutes: Math.round((Date.now() - started) / 6000) / 10,
    });
  } finally {
    log('stopping the services, the simulators and the stack…');
    await system?.stop().catch((error: unknown) => log(`stop failed: ${String(error)}`));
    if (simulatorChild && simulatorChild.exitCode === null) {
      const exited = new Promise((r) => simulatorChild?.once('exit', r));
      simulatorChild.kill('SIGTERM');
      await Promise.race([exited, sleep(5_000)]);
    }
    await down(stack, () => undefined).catch((error: unknown) => log(`stack down failed: ${String(error)}`));
    rmSync(root, { recursive: true, force: true });
  }
}

/** Not the system: the bench's own processes (the simulators stand in for the external platforms). */
const NOT_THE_SYSTEM = new Set(['load generator (this process)', 'provider-simulators (bench child)']);

/** Idle CPU in % of one core per process, and the system's total, with 0.1 % resolution. */
function idleCpu(used: Record<string, { cpuSeconds: number; seconds: number }>): IdleCpu {
  const percent = (u: { cpuSeconds: number; seconds: number }) =>
    Math.round((u.cpuSeconds / u.seconds) * 1000) / 10;
  const system = Object.entries(used).filter(([name]) => !NOT_THE_SYSTEM.has(name));
  return {
    seconds: Math.round(Math.max(0, ...system.map(([, u]) => u.seconds))),
    perProcessPercent: Object.fromEntries(system.map(([name, u]) => [name, percent(u)])),
    totalPercent: Math.round(system.reduce((sum, [, u]) => sum + percent(u), 0) * 10) / 10,
  };
}

async function pool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

// ---------------------------------------------------------------------------------------------------------

interface Report {
  readonly run: string;
  readonly loadBefore: number[];
  readonly loadAfter: number[];
  readonly floor: ReturnType<typeof stats>;
  readonly tool: Record<string, number> | string;
  readonly phases: ReturnType<typeof Object>[];
  readonly probes: {
    phase: string;
    probesSent: number;
    probesComplete: number;
    endToEnd: ReturnType<typeof stats>;
    byKind: Record<string, ReturnType<typeof stats>>;
    upstream: ReturnType<typeof stats>;
    connector: ReturnType<typeof stats>;
    connectorSharePercentMedian: number;
    within1s: number;
    within250ms: number;
  }[];
  readonly resources: Record<string, { peakRssMiB: number; avgCpuPercent: number; peakCpuPercent: number }>;
  readonly idle: IdleCpu;
  readonly saturatedBy: string;
  readonly maxAcceptedPerSecond: number;
  readonly minutes: number;
}

function report(r: Report): void {
  const machine = describeMachine();
  const at = new Date().toISOString();
  const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' / ');
  const result = {
    benchmark: 'system',
    at,
    machine: {
      ...machine,
      loadAverageBefore: r.loadBefore.map((l) => Number(l.toFixed(2))),
      loadAverageAfter: r.loadAfter.map((l) => Number(l.toFixed(2))),
    },
    settings: {
      fixedRate: FIXED_RATE,
      fixedSeconds: FIXED_SECONDS,
      rampStep: RAMP_STEP,
      rampStepSeconds: RAMP_STEP_SECONDS,
      rampMaxSteps: RAMP_MAX_STEPS,
      probesPerSecond: PROBES_PER_SECOND,
      backgroundContacts: BACKGROUND_CONTACTS,
      maxInFlight: MAX_IN_FLIGHT,
      keepAliveSockets: SOCKETS,
      mix: 'per 20 non-probe events: 8 Segment tracks + 1 late track (1 h old), 2 identifies (1 of a new contact), 3 signed SendGrid webhooks (unsubscribe / group_resubscribe), 3 signed Twilio STOP/START, 3 duplicate Segment requests (same messageId); plus probes',
      probes:
        'one opt-out per prepared contact (subscribed everywhere): email via signed SendGrid unsubscribe, SMS via signed Twilio STOP, push via Segment track, in turn',
      services:
        'every service its own process (LocalSystem), production settings, LOG_LEVEL=warn; stack of its own (Kafka, Apicurio, PostgreSQL) on ports 59092/58181/55489',
    },
    result: {
      maxAcceptedPerSecond: r.maxAcceptedPerSecond,
      saturatedBy: r.saturatedBy,
      phases: r.phases,
      probes: r.probes,
      resources: r.resources,
      idle: r.idle,
      baselines: { bareKafkaProduceConsume: r.floor, kafkaEndToEndLatencyTool: r.tool },
    },
    minutes: r.minutes,
  };
  const dir = resolve(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'system.json'), `${JSON.stringify(result, null, 2)}\n`);
  const phases = r.phases as unknown as {
    phase: string;
    targetRate: number;
    generated: number;
    droppedByGenerator: number;
    acceptedPerSecond: number;
    non2xx: number;
    unanswered: number;
    gatewayAnswer: ReturnType<typeof stats>;
  }[];
  const tool =
    typeof r.tool === 'string'
      ? r.tool
      : `p50 ${r.tool['p50Ms']} ms, p99 ${r.tool['p99Ms']} ms, avg ${r.tool['avgMs']} ms (one message at a time, acks=all)`;
  const md = [
    '# system benchmark',
    '',
    `Measured ${at} on ${machine['cpu']} (${machine['cores']} cores, ${machine['memoryGiB']} GiB, Node ${machine['node']}); load average (1/5/15 min) ${load(r.loadBefore)} before, ${load(r.loadAfter)} after — the 2 cores are shared with other test runs.`,
    `Every service its own process, a stack of its own (single-node Kafka, Apicurio, PostgreSQL), provider simulators in a child process; fixed ${FIXED_RATE} events/s for ${FIXED_SECONDS} s, then +${RAMP_STEP} events/s every ${RAMP_STEP_SECONDS} s; open-loop generator over ${SOCKETS} keep-alive sockets (at most ${MAX_IN_FLIGHT} requests in flight, beyond that it drops and counts). Mix: Segment tracks (some late) and identifies, signed SendGrid and Twilio webhooks, duplicates; ${PROBES_PER_SECOND} probe opt-outs/s.`,
    '',
    '## Gateway',
    '',
    '| phase | target ev/s | sent | dropped by generator | accepted ev/s | non-2xx | no answer | answer p50 ms | answer p99 ms |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...phases.map(
      (p) =>
        `| ${p.phase} | ${p.targetRate} | ${p.generated} | ${p.droppedByGenerator} | ${p.acceptedPerSecond} | ${p.non2xx} | ${p.unanswered} | ${p.gatewayAnswer.p50} | ${p.gatewayAnswer.p99} |`,
    ),
    '',
    `Maximum accepted rate: ${r.maxAcceptedPerSecond} events/s; stopped because ${r.saturatedBy}.`,
    '',
    '## End to end (probe opt-outs: sent → the last platform that represents the change received its call)',
    '',
    '| phase | probes | complete | p50 ms | p95 ms | p99 ms | max ms | ≤ 1 s | ≤ 250 ms | upstream p50/p95 ms | connector p50/p95 ms | connector share (median) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...r.probes.map(
      (p) =>
        `| ${p.phase} | ${p.probesSent} | ${p.probesComplete} | ${p.endToEnd.p50} | ${p.endToEnd.p95} | ${p.endToEnd.p99} | ${p.endToEnd.max} | ${p.within1s} % | ${p.within250ms} % | ${p.upstream.p50} / ${p.upstream.p95} | ${p.connector.p50} / ${p.connector.p95} | ${p.connectorSharePercentMedian} % |`,
    ),
    '',
    "upstream = sent → the state message's Kafka timestamp on `contact-preferences.state.v1` (gateway, identity resolver, projector); connector = that timestamp → the last platform call.",
    '',
    `Floor on the same broker: a bare producer → consumer pair at ${FIXED_RATE} msg/s (acks=all, idempotent, 12 partitions): p50 ${r.floor.p50} ms, p95 ${r.floor.p95} ms, p99 ${r.floor.p99} ms, max ${r.floor.max} ms (${r.floor.n} messages); Kafka's EndToEndLatency tool: ${tool}.`,
    '',
    '## Processes during the load (fixed phase and ramp)',
    '',
    '| process | peak RSS MiB | avg CPU % | peak CPU % (5 s) |',
    '| --- | ---: | ---: | ---: |',
    ...Object.entries(r.resources).map(
      ([name, s]) => `| ${name} | ${s.peakRssMiB} | ${s.avgCpuPercent} | ${s.peakCpuPercent} |`,
    ),
    '',
    '100 % = one core fully used. PostgreSQL counts the postmaster and every backend.',
    '',
    idleTable(r.idle),
    '',
  ].join('\n');
  writeFileSync(join(dir, 'system.md'), md);
  console.log(`\n${md}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
