import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  createReadStream,
  createWriteStream,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { TOPICS } from '@optstream/contracts';
import { kafkaConfigSchema, loadConfig } from '@optstream/config';
import { AvroCodec, createKafkaClient, ensureTopics, EventPublisher } from '@optstream/kafka';
import { parseBackfillArgs } from '../apps/cli/src/backfill/backfill-options';
import { runBackfill } from '../apps/cli/src/backfill/run-backfill';
import { csvRecords } from '../apps/cli/src/backfill/csv-parser';
import { loadStackSettings, up } from '../tools/stack';
import { describeMachine } from './machine';

/**
 * `optstream backfill` on a generated 1,000,000-row export set (three files, overlapping people, conflicts,
 * duplicates and bad rows), in --dry-run mode and publishing to a topic of its own, side by side with a
 * baseline that only reads and parses the same CSV files. Each mode runs in a child process so its peak
 * RSS (getrusage maxrss) is its own. BENCH_BACKFILL_ROWS sets the size, BENCH_BACKFILL_MODES the modes
 * (default "read,dry-run,publish").
 */
const ROWS = Number(process.env['BENCH_BACKFILL_ROWS'] ?? 1_000_000);
const SUFFIX = ROWS === 1_000_000 ? '' : `-${ROWS}`;
// "dry-run@256": the same dry run with V8's heap capped at 256 MiB, which shows what the merge needs
// alive; uncapped, V8 lets garbage build up towards its default limit before it collects.
const MODES = (process.env['BENCH_BACKFILL_MODES'] ?? 'read,dry-run,dry-run@256,publish').split(',');

interface ModeResult {
  readonly mode: string;
  readonly seconds: number;
  readonly rowsPerSecond: number;
  readonly rows: number;
  readonly events: number;
  readonly contacts: number;
  readonly conflicts: number;
  readonly rejected: number;
  readonly peakRssMiB: number;
  readonly baselineRssMiB: number;
}

const phone = (i: number): string =>
  `+1212${200 + (i % 800)}${String(Math.floor(i / 800) % 10_000).padStart(4, '0')}`;
const email = (i: number): string => `person${i}@example.com`;
const iso = (ms: number): string => new Date(ms).toISOString();
const T0 = Date.parse('2023-01-01T00:00:00Z');

async function writeLines(
  path: string,
  header: string,
  count: number,
  line: (i: number) => string,
): Promise<void> {
  const out = createWriteStream(path);
  out.write(`${header}\r\n`);
  for (let i = 0; i < count; i += 1) if (!out.write(`${line(i)}\r\n`)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

/** 40% Braze (people 0..0.4N), 30% SendGrid (emails of people 0.2N..0.5N), 30% Twilio (phones of 0.3N..0.6N). */
async function generate(dir: string): Promise<string[]> {
  const braze = Math.round(ROWS * 0.4);
  const sendgrid = Math.round(ROWS * 0.3);
  const twilio = ROWS - braze - sendgrid;
  const files = [join(dir, 'braze.csv'), join(dir, 'sendgrid.csv'), join(dir, 'twilio.csv')];
  const day = 86_400_000;
  await writeLines(
    files[0] as string,
    'external_id,email,phone,email_subscribe,push_subscribe,sms_subscribe,updated_at',
    braze,
    (i) =>
      [
        `cust-${i}`,
        email(i),
        phone(i),
        i % 3 ? 'opted_in' : 'unsubscribed',
        i % 2 ? 'opted_in' : 'unsubscribed',
        i % 4 ? 'subscribed' : 'unsubscribed',
        iso(T0 + (i % 365) * day),
      ].join(','),
  );
  await writeLines(files[1] as string, 'email,created', sendgrid, (i) => {
    const p = Math.round(ROWS * 0.2) + i;
    // every 1,000th row is malformed (rejected), every 100th a duplicate of the previous person.
    if (i % 1000 === 999) return `not-an-email-${i},1700000000`;
    return `${email(i % 100 === 99 ? p - 1 : p)},${Math.floor((T0 + ((i * 7) % 730) * day) / 1000)}`;
  });
  await writeLines(files[2] as string, 'phone_number,date_created', twilio, (i) => {
    const p = Math.round(ROWS * 0.3) + i;
    return `${phone(p)},${iso(T0 + ((i * 11) % 730) * day)
      .replace('T', ' ')
      .slice(0, 19)}`;
  });
  return files;
}

async function child(
  mode: string,
  topic: string,
  files: string[],
  brokers: string,
  registry: string,
): Promise<void> {
  const baseline = process.memoryUsage().rss;
  if (mode === 'read') return readOnly(files, baseline);
  const report = join(mkdtempSync(join(tmpdir(), 'bench-report-')), 'report.json');
  const options = parseBackfillArgs([
    ...files,
    '--quiet',
    '--report',
    report,
    '--checkpoint',
    `${report}.checkpoint`,
    ...(mode.startsWith('dry-run') ? ['--dry-run'] : []),
  ]);
  const kafkaConfig = loadConfig('bench', kafkaConfigSchema, {
    KAFKA_BROKERS: brokers,
    SCHEMA_REGISTRY_URL: registry,
  });
  const kafka = createKafkaClient(kafkaConfig, 'bench-backfill');
  const codec = AvroCodec.fromConfig(kafkaConfig);
  const publisher = new EventPublisher(kafka, codec, { [topic]: TOPICS.contactInbound.valueSchema });
  if (mode === 'publish') await publisher.connect();
  const started = process.hrtime.bigint();
  const { summary } = await runBackfill(options, {
    topic,
    stderr: process.stderr,
    ...(mode === 'publish' ? { publish: { sink: publisher, codec, hashKey: randomBytes(32) } } : {}),
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (mode === 'publish') await publisher.disconnect();
  const result: ModeResult = {
    mode,
    seconds: Number(seconds.toFixed(1)),
    rowsPerSecond: Math.round(summary.rows / seconds),
    rows: summary.rows,
    events: summary.events,
    contacts: summary.contacts,
    conflicts: summary.conflicts,
    rejected: summary.rejected,
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    baselineRssMiB: Math.round(baseline / 1024 ** 2),
  };
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

/** The baseline: the same files read and parsed as CSV, nothing mapped, merged or published. */
async function readOnly(files: readonly string[], baseline: number): Promise<void> {
  const started = process.hrtime.bigint();
  let rows = 0;
  for (const path of files)
    for await (const record of csvRecords(createReadStream(path), () => undefined))
      if (record.fields.length > 0) rows += 1;
  rows -= files.length; // headers
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const result: ModeResult = {
    mode: 'read',
    seconds: Number(seconds.toFixed(1)),
    rowsPerSecond: Math.round(rows / seconds),
    rows,
    events: 0,
    contacts: 0,
    conflicts: 0,
    rejected: 0,
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    baselineRssMiB: Math.round(baseline / 1024 ** 2),
  };
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

async function main(): Promise<void> {
  const [, , role, childMode, childTopic, brokers, registry, ...childFiles] = process.argv;
  if (role === 'child' && childMode && childTopic && brokers && registry)
    return child(childMode, childTopic, childFiles, brokers, registry);

  const endpoints = await up(loadStackSettings(), () => undefined);
  const kafkaConfig = loadConfig('bench', kafkaConfigSchema, {
    KAFKA_BROKERS: endpoints.kafkaBrokers,
    SCHEMA_REGISTRY_URL: endpoints.registryUrl,
  });
  const dir = mkdtempSync(join(tmpdir(), 'bench-backfill-'));
  console.log(`generating ${ROWS} rows in ${dir}…`);
  const files = await generate(dir);
  const bytes = files.reduce((n, f) => n + statSync(f).size, 0);
  const topic = `bench.backfill-${randomBytes(3).toString('hex')}.v1`;
  const kafka = createKafkaClient(kafkaConfig, 'bench-backfill');
  await ensureTopics(kafka, [
    { ...TOPICS.contactInbound, name: topic, configs: { 'retention.ms': '3600000' } },
  ]);

  const results: ModeResult[] = [];
  for (const mode of MODES) {
    console.log(`running backfill --${mode}…`);
    const run = spawnSync(
      process.execPath,
      [
        ...process.execArgv,
        ...(mode.includes('@') ? [`--max-old-space-size=${mode.split('@')[1]}`] : []),
        __filename,
        'child',
        mode,
        topic,
        endpoints.kafkaBrokers,
        endpoints.registryUrl,
        ...files,
      ],
      {
        env: process.env,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    const line = run.stdout.split('\n').find((l) => l.startsWith('RESULT '));
    if (run.status !== 0 || !line) throw new Error(`backfill ${mode} failed (status ${run.status})`);
    results.push(JSON.parse(line.slice('RESULT '.length)) as ModeResult);
  }
  rmSync(dir, { recursive: true, force: true });
  report(results, bytes);
}

function report(results: ModeResult[], bytes: number): void {
  const read = results.find((r) => r.mode === 'read');
  const result = {
    benchmark: 'backfill',
    at: new Date().toISOString(),
    machine: describeMachine(),
    settings: { rows: ROWS, files: 3, inputMiB: Math.round(bytes / 1024 ** 2), batchSize: 500 },
    sortMemoryMiB: 64,
    rows: results.map((r) => ({
      ...r,
      // Throughput against reading the same files and nothing else, run side by side.
      ratioToRead: read ? Number((r.rowsPerSecond / read.rowsPerSecond).toFixed(2)) : null,
    })),
  };
  const dir = resolve(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `backfill${SUFFIX}.json`), `${JSON.stringify(result, null, 2)}\n`);
  const table = [
    '# backfill benchmark',
    '',
    `Measured ${result.at} on ${result.machine.cpu} (${result.machine.cores} cores, ${result.machine.memoryGiB} GiB, Node ${result.machine.node}); ${ROWS} generated rows in 3 files (${result.settings.inputMiB} MiB: Braze export 40%, SendGrid suppressions 30%, Twilio opt-outs 30%, overlapping people), Kafka acks=all on the local single-node stack. Each mode runs in its own process.`,
    '',
    '| mode | seconds | rows/s | ratio to read | rows | contacts | events | conflicts | rejected | peak RSS MiB |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...result.rows.map(
      (r) =>
        `| ${r.mode} | ${r.seconds} | ${r.rowsPerSecond} | ${r.ratioToRead ?? '–'} | ${r.rows} | ${r.contacts} | ${r.events} | ${r.conflicts} | ${r.rejected} | ${r.peakRssMiB} |`,
    ),
    '',
    'The merge sorts on disk (64 MiB per sort buffer, two filling at once), so what it keeps alive does not grow with the number of rows: "dry-run@256" is the dry run with the V8 heap capped at 256 MiB. Uncapped, V8 lets garbage build up before collecting, so the plain dry run\'s RSS is higher without being needed. "read" is the baseline that only parses the CSV files.',
    '',
  ].join('\n');
  writeFileSync(join(dir, `backfill${SUFFIX}.md`), table);
  console.log(`\n${table}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
