import { randomBytes, randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { SCHEMAS, TOPICS, type DeadLetter } from '@optstream/contracts';
import {
  AvroCodec,
  createKafkaClient,
  deadLetterFromHttp,
  deadLetterFromMessage,
  ensureTopics,
  EventPublisher,
  HEADER,
  ProcessingError,
} from '@optstream/kafka';
import { readTopic, tailTopic, testKafkaConfig, uniqueName } from '@optstream/testing';
import type { IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import { CsvParser } from '../src/backfill/csv-parser';
import { parseDlqArgs } from '../src/dlq/dlq-options';
import { dlqFromEnv } from '../src/dlq/dlq-runtime';
import type { DeadLetterPosition } from '../src/dlq/letter-filter';
import { runDlqList } from '../src/dlq/run-list';
import { runCli } from './run-cli';
import { UsageError } from '../src/usage-error';

jest.setTimeout(120_000);

const iso = (ms: number): string => new Date(ms).toISOString();
const T0 = Date.parse('2026-03-01T09:00:00Z');
const OLD = Date.parse('2020-01-01T00:00:00Z');

/** Writable streams whose text the assertions read. */
function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { stream, text: () => text };
}

function failedMessage(
  original: { topic: string; partition: number; offset: string },
  message: { key: Buffer | null; value: Buffer | null; headers: IHeaders },
  code: string,
  reason: string,
  attempts: number,
): DeadLetter {
  const kafkaMessage: KafkaMessage = {
    ...message,
    offset: original.offset,
    timestamp: String(T0),
    attributes: 0,
  };
  return deadLetterFromMessage('identity-resolver', {
    topic: original.topic,
    partition: original.partition,
    message: kafkaMessage,
    error: new ProcessingError(code, reason, false),
    attempts,
    firstFailedAt: T0,
    lastFailedAt: T0 + attempts * 1000,
  });
}

describe('optstream dlq: list and replay dead letters', () => {
  const kafkaConfig = testKafkaConfig();
  const brokers = kafkaConfig.KAFKA_BROKERS;
  const id = uniqueName('cli-dlq');
  const topics = {
    deadLetters: `${id}.dead-letter`,
    inbound: `${id}.inbound`,
    preferences: `${id}.mpu`,
    state: `${id}.state`,
    httpReplay: `${id}.http-replay`,
    gone: `${id}.gone`, // never created
  };
  // Personal data in the original bytes: a listing must never show it, in any encoding.
  const secrets = {
    key1: Buffer.from(`contact-${randomUUID()}`),
    value1: Buffer.concat([Buffer.from([0, 0, 0, 0, 7]), Buffer.from('alice@example.com'), randomBytes(16)]),
    value3: Buffer.from(JSON.stringify({ email: 'carol@example.com', status: 'maybe' })),
  };
  const E1 = randomUUID();
  const E4 = randomUUID();
  const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

  const letters: Record<string, DeadLetter> = {
    L1: failedMessage(
      { topic: topics.inbound, partition: 2, offset: '17' },
      {
        key: secrets.key1,
        value: secrets.value1,
        headers: { [HEADER.eventId]: E1, [HEADER.schema]: 'contact-inbound.v1', traceparent },
      },
      'DECODE_FAILED',
      'could not decode Avro message: truncated buffer',
      1,
    ),
    L2: failedMessage(
      { topic: topics.preferences, partition: 0, offset: '9000000000123' },
      { key: Buffer.from('ext-2'), value: Buffer.from([0, 0, 0, 0, 9, 42]), headers: {} },
      'INVALID_STATUS',
      'status "maybe", neither subscribed nor unsubscribed',
      5,
    ),
    L3: deadLetterFromHttp('ingestion-gateway', {
      body: secrets.value3,
      key: null,
      headers: { endpoint: 'sendgrid' },
      code: 'INVALID_EMAIL',
      reason: 'email is not an address',
      at: T0,
      redacted: null,
    }),
    L4: failedMessage(
      { topic: topics.inbound, partition: 1, offset: '3' },
      { key: Buffer.from('contact-4'), value: randomBytes(40), headers: { [HEADER.eventId]: E4 } },
      'DECODE_FAILED',
      'not a Confluent-framed Avro message (missing magic byte 0)',
      1,
    ),
    L5: failedMessage(
      { topic: topics.state, partition: 0, offset: '5' },
      { key: Buffer.from('ext-5'), value: randomBytes(12), headers: {} },
      'PROVIDER_REFUSED',
      'sendgrid answered 400',
      1,
    ),
    L6: failedMessage(
      { topic: topics.gone, partition: 0, offset: '1' },
      { key: null, value: randomBytes(8), headers: { [HEADER.eventId]: randomUUID() } },
      'UNEXPECTED_ERROR',
      'boom',
      2,
    ),
    // Written long ago (by Kafka record time): what --since leaves out.
    L0: failedMessage(
      { topic: topics.preferences, partition: 1, offset: '1' },
      { key: Buffer.from('ext-0'), value: randomBytes(8), headers: {} },
      'OLD_FAILURE',
      'long fixed',
      3,
    ),
  };
  /** Where each dead letter (and the one record that is not a dead letter, G) sits in the dead-letter topic. */
  const at: Record<string, DeadLetterPosition> = {};
  const name = (p: DeadLetterPosition): string => `${topics.deadLetters}/${p.partition}/${p.offset}`;

  let kafka: Kafka;
  let codec: AvroCodec;

  beforeAll(async () => {
    kafka = createKafkaClient(kafkaConfig, 'cli-dlq-test');
    codec = AvroCodec.fromConfig(kafkaConfig);
    await ensureTopics(
      kafka,
      [
        { ...TOPICS.identityDeadLetter, name: topics.deadLetters },
        { ...TOPICS.contactInbound, name: topics.inbound },
        { ...TOPICS.marketingPreferenceUpdated, name: topics.preferences },
        { ...TOPICS.contactPreferencesState, name: topics.state },
        { ...TOPICS.contactInbound, name: topics.httpReplay },
      ],
      { partitions: 3 },
    );
    await codec.register(topics.deadLetters, SCHEMAS['dead-letter.v1']);
    // As the services write them: EventPublisher, keyed by the original key, an event id per dead letter.
    const publisher = new EventPublisher(kafka, codec, { [topics.deadLetters]: 'dead-letter.v1' });
    await publisher.connect();
    try {
      for (const n of ['L1', 'L2', 'L3', 'L4', 'L5', 'L6'])
        await publisher.publish(topics.deadLetters, [
          { key: letters[n]!.originalKey, value: letters[n]!, eventId: n },
        ]);
      await publisher.publishRaw(topics.deadLetters, [
        { key: null, value: Buffer.from('not avro at all'), headers: { [HEADER.eventId]: 'G' } },
      ]);
    } finally {
      await publisher.disconnect();
    }
    // EventPublisher cannot set the record time; a plain producer can.
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({
      topic: topics.deadLetters,
      acks: -1,
      messages: [
        {
          key: letters['L0']!.originalKey,
          value: await codec.encode(topics.deadLetters, letters['L0']),
          headers: { [HEADER.eventId]: 'L0' },
          timestamp: String(OLD),
        },
      ],
    });
    await producer.disconnect();
    for (const { partition, message } of await readTopic(brokers, topics.deadLetters, { count: 8 }))
      at[message.headers?.[HEADER.eventId]?.toString() ?? '?'] = { partition, offset: message.offset };
    expect(Object.keys(at).sort()).toEqual(['G', 'L0', 'L1', 'L2', 'L3', 'L4', 'L5', 'L6']);
  });

  const list = async (args: readonly string[]) => {
    const stdout = capture();
    const stderr = capture();
    const options = parseDlqArgs(['list', '--topic', topics.deadLetters, ...args]);
    if (options.command !== 'list') throw new Error(`parsed as ${options.command}`);
    const report = await runDlqList(options, {
      kafka,
      codec,
      stdout: stdout.stream,
      stderr: stderr.stream,
    });
    return { report, stdout: stdout.text(), stderr: stderr.text() };
  };
  const listJson = async (args: readonly string[]) => {
    const { stdout, stderr } = await list(['--format', 'json', ...args]);
    const rows = stdout
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { deadLetter: DeadLetterPosition; errorCode: string });
    return { rows, stdout, stderr };
  };
  /** Which dead letters the rows are, by test name, in offset order per partition. */
  const named = (rows: readonly { deadLetter: DeadLetterPosition }[]): string[] =>
    rows
      .map(
        (r) =>
          Object.keys(at).find(
            (n) => at[n]!.partition === r.deadLetter.partition && at[n]!.offset === r.deadLetter.offset,
          ) ?? '?',
      )
      .sort();

  const replay = async (args: readonly string[]) => {
    const stdout = capture();
    const stderr = capture();
    await dlqFromEnv(parseDlqArgs(['replay', '--topic', topics.deadLetters, ...args]), process.env, {
      stdout: stdout.stream,
      stderr: stderr.stream,
    });
    return { stdout: stdout.text(), stderr: stderr.text() };
  };
  const highWatermarks = async (): Promise<Record<string, string>> => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const out: Record<string, string> = {};
      for (const topic of [topics.inbound, topics.preferences, topics.state, topics.httpReplay])
        for (const p of await admin.fetchTopicOffsets(topic)) out[`${topic}/${p.partition}`] = p.high;
      return out;
    } finally {
      await admin.disconnect();
    }
  };
  const headerBytes = (headers: IHeaders | undefined): Record<string, string> =>
    Object.fromEntries(
      Object.entries(headers ?? {}).map(([k, v]) => [k, Buffer.from(v as Buffer).toString('hex')]),
    );
  const originalHeaderBytes = (letter: DeadLetter): Record<string, string> =>
    Object.fromEntries(letter.originalHeaders.map((h) => [h.key, h.value!.toString('hex')]));

  it('list --format json: one row per dead letter with where it sits, why and where it came from; never the key or value', async () => {
    const { rows, stdout, stderr } = await listJson([]);
    expect(named(rows)).toEqual(['L0', 'L1', 'L2', 'L3', 'L4', 'L5', 'L6']);
    const row = (n: string) =>
      rows.find((r) => r.deadLetter.offset === at[n]!.offset && r.deadLetter.partition === at[n]!.partition);
    expect(row('L1')).toEqual({
      deadLetter: at['L1'],
      service: 'identity-resolver',
      errorCode: 'DECODE_FAILED',
      reason: 'could not decode Avro message: truncated buffer',
      attempts: 1,
      firstFailedAt: iso(T0),
      lastFailedAt: iso(T0 + 1000),
      original: {
        topic: topics.inbound,
        partition: 2,
        offset: '17',
        eventId: E1,
        valueBytes: secrets.value1.length,
      },
    });
    expect(row('L3')).toEqual({
      deadLetter: at['L3'],
      service: 'ingestion-gateway',
      errorCode: 'INVALID_EMAIL',
      reason: 'email is not an address',
      attempts: 1,
      firstFailedAt: iso(T0),
      lastFailedAt: iso(T0),
      original: {
        topic: null,
        partition: null,
        offset: null,
        eventId: null,
        valueBytes: secrets.value3.length,
      },
    });
    // No key or value in any form: raw text, hex, base64, or a JSON Buffer ({"type":"Buffer","data":…}).
    for (const bytes of [secrets.key1, secrets.value1, secrets.value3])
      for (const form of [bytes.toString('hex'), bytes.toString('base64'), '"Buffer"'])
        expect(stdout).not.toContain(form);
    for (const text of ['alice@example.com', 'carol@example.com', secrets.key1.toString()])
      expect(stdout).not.toContain(text);
    // The record that is not a dead letter is reported, not listed; the counts go to stderr.
    expect(stderr).toContain(`unreadable: ${name(at['G']!)}`);
    expect(stderr).toContain('7 dead letter(s) listed of 8 record(s) read');
    expect(stderr).toContain(
      'by error code: DECODE_FAILED 2, INVALID_EMAIL 1, INVALID_STATUS 1, OLD_FAILURE 1, PROVIDER_REFUSED 1, UNEXPECTED_ERROR 1',
    );
  });

  it('list --format csv: a header and RFC 4180 rows (the reason with a comma and quotes survives)', async () => {
    const { stdout } = await list(['--format', 'csv', '--error-code', 'INVALID_STATUS']);
    const parser = new CsvParser();
    const records = [...parser.push(stdout), ...parser.end()].map((r) => r.fields);
    expect(records).toEqual([
      [
        'partition',
        'offset',
        'service',
        'error_code',
        'reason',
        'attempts',
        'first_failed_at',
        'last_failed_at',
        'original_topic',
        'original_partition',
        'original_offset',
        'original_event_id',
        'value_bytes',
      ],
      [
        String(at['L2']!.partition),
        at['L2']!.offset,
        'identity-resolver',
        'INVALID_STATUS',
        'status "maybe", neither subscribed nor unsubscribed',
        '5',
        iso(T0),
        iso(T0 + 5000),
        topics.preferences,
        '0',
        '9000000000123',
        '',
        '6',
      ],
    ]);
    expect(stdout.endsWith('\r\n')).toBe(true);
  });

  it('filters: --error-code, --original-topic, --offset and --since, repeated and combined', async () => {
    const names = async (args: readonly string[]) => named((await listJson(args)).rows);
    expect(await names(['--error-code', 'DECODE_FAILED'])).toEqual(['L1', 'L4']);
    expect(await names(['--error-code', 'INVALID_EMAIL', '--error-code', 'OLD_FAILURE'])).toEqual([
      'L0',
      'L3',
    ]);
    // HTTP input has no original topic: any --original-topic leaves it out.
    expect(await names(['--original-topic', topics.preferences])).toEqual(['L0', 'L2']);
    expect(await names(['--offset', `${at['L4']!.partition}:${at['L4']!.offset}`])).toEqual(['L4']);
    expect(
      await names([
        '--offset',
        `${at['L4']!.partition}:${at['L4']!.offset}`,
        '--offset',
        `${at['L2']!.partition}:${at['L2']!.offset}`,
        '--error-code',
        'DECODE_FAILED',
      ]),
    ).toEqual(['L4']);
    expect(await names(['--since', '2021-01-01T00:00:00Z', '--original-topic', topics.preferences])).toEqual([
      'L2',
    ]);
    // Nothing selected: an empty CSV is its header alone, and nothing is counted.
    const none = await list(['--error-code', 'DECODE_FAILED', '--original-topic', topics.preferences]);
    expect(none.stdout.split('\r\n')).toEqual([expect.stringMatching(/^partition,offset,/), '']);
    expect(none.report.listed).toBe(0);
    expect(none.stderr).not.toContain('by error code');
  });

  it('replay: the exact original key, value and headers go back into the original topic, plus optstream-replayed-from', async () => {
    const before = await highWatermarks();
    const tail = await tailTopic(brokers, topics.inbound);
    try {
      const { stdout, stderr } = await replay(['--error-code', 'DECODE_FAILED']);
      const replayed = await tail.until(() => true, 2);
      for (const n of ['L1', 'L4']) {
        const letter = letters[n]!;
        const message = replayed.find((m) => m.key?.equals(letter.originalKey!));
        expect(message?.value?.equals(letter.originalValue!)).toBe(true);
        expect(headerBytes(message?.headers)).toEqual({
          ...originalHeaderBytes(letter),
          'optstream-replayed-from': Buffer.from(name(at[n]!)).toString('hex'),
        });
        expect(stdout).toContain(`replayed ${name(at[n]!)} -> ${topics.inbound} [DECODE_FAILED] event `);
      }
      // The record that is not a dead letter cannot be checked against --error-code: reported, not hidden.
      expect(stderr).toContain(`replayed 2 dead letter(s) (${topics.inbound} 2)\nskipped 1\n  1 UNREADABLE`);
      // Nothing went anywhere else.
      const after = await highWatermarks();
      const grown = Object.keys(after).filter((k) => after[k] !== before[k]);
      expect(grown.every((k) => k.startsWith(`${topics.inbound}/`))).toBe(true);
      expect(tail.messages).toHaveLength(2);
    } finally {
      await tail.stop();
    }
  });

  it('HTTP input: skipped with a reason without --to; replayed into --to with it', async () => {
    const before = await highWatermarks();
    const skipped = await replay(['--error-code', 'INVALID_EMAIL']);
    expect(skipped.stderr).toContain(`skipped ${name(at['L3']!)} NO_ORIGINAL_TOPIC: came over HTTP`);
    expect(skipped.stderr).toContain(
      'replayed 0 dead letter(s)\nskipped 2\n  1 NO_ORIGINAL_TOPIC: came over HTTP, so there is no original topic: give --to <topic>\n  1 UNREADABLE',
    );
    expect(skipped.stdout).toBe('');
    expect(await highWatermarks()).toEqual(before);

    const tail = await tailTopic(brokers, topics.httpReplay);
    try {
      const { stdout } = await replay(['--error-code', 'INVALID_EMAIL', '--to', topics.httpReplay]);
      const [message] = await tail.until(() => true, 1);
      expect(message?.key).toBeNull();
      expect(message?.value?.equals(secrets.value3)).toBe(true);
      expect(headerBytes(message?.headers)).toEqual({
        endpoint: Buffer.from('sendgrid').toString('hex'),
        'optstream-replayed-from': Buffer.from(name(at['L3']!)).toString('hex'),
      });
      expect(stdout).toBe(`replayed ${name(at['L3']!)} -> ${topics.httpReplay} [INVALID_EMAIL]\n`);
    } finally {
      await tail.stop();
    }
  });

  it('never replays into a compacted topic unless --allow-compacted: the state topic is skipped with its reason', async () => {
    const before = await highWatermarks();
    const { stdout, stderr } = await replay(['--dry-run']);
    expect(stdout).not.toContain(topics.state);
    expect(stderr).toContain(`skipped ${name(at['L5']!)} COMPACTED_TOPIC`);
    expect(stderr).toContain('optstream audit --repair');
    expect(await highWatermarks()).toEqual(before);
  });

  it('--dry-run prints what would be replayed, skips with reasons, warns about a compacted topic, and sends nothing', async () => {
    const before = await highWatermarks();
    const { stdout, stderr } = await replay(['--dry-run', '--allow-compacted']);
    expect(stdout.split('\n').filter(Boolean).sort()).toEqual(
      [
        `would replay ${name(at['L0']!)} -> ${topics.preferences} [OLD_FAILURE]`,
        `would replay ${name(at['L1']!)} -> ${topics.inbound} [DECODE_FAILED] event ${E1}`,
        `would replay ${name(at['L2']!)} -> ${topics.preferences} [INVALID_STATUS]`,
        `would replay ${name(at['L4']!)} -> ${topics.inbound} [DECODE_FAILED] event ${E4}`,
        `would replay ${name(at['L5']!)} -> ${topics.state} [PROVIDER_REFUSED]`,
      ].sort(),
    );
    expect(stderr).toContain(`skipped ${name(at['L3']!)} NO_ORIGINAL_TOPIC`);
    expect(stderr).toContain(`skipped ${name(at['L6']!)} TOPIC_MISSING: topic ${topics.gone} does not exist`);
    expect(stderr).toContain(`skipped ${name(at['G']!)} UNREADABLE`);
    expect(stderr).toContain(`warning: ${topics.state} is compacted`);
    expect(stderr).toMatch(/dry run: would replay 5 dead letter\(s\) \(.*\); nothing was sent\nskipped 3\n/);
    // Sends are acknowledged before the command returns, so any would already show in the offsets.
    expect(await highWatermarks()).toEqual(before);
  });

  it.each<[string, string[], RegExp]>([
    ['no subcommand', [], /say list or replay/],
    ['an unknown subcommand', ['purge', '--topic', 't'], /unknown subcommand "purge"/],
    ['no --topic', ['list'], /--topic <dead-letter topic> is required/],
    ['an unknown option', ['list', '--topic', 't', '--key'], /Unknown option '--key'/],
    ['a positional argument', ['replay', '--topic', 't', 'extra'], /positional/],
    ['a bad --format', ['list', '--topic', 't', '--format', 'xml'], /"xml" is not csv or json/],
    ['--format on replay', ['replay', '--topic', 't', '--format', 'json'], /--format belongs to dlq list/],
    ['--to on list', ['list', '--topic', 't', '--to', 'x'], /--to belongs to dlq replay/],
    ['--dry-run on list', ['list', '--topic', 't', '--dry-run'], /--dry-run belongs to dlq replay/],
    ['--offset without a partition', ['list', '--topic', 't', '--offset', '42'], /not <partition>:<offset>/],
    ['a negative --offset', ['list', '--topic', 't', '--offset', '0:-1'], /not <partition>:<offset>/],
    ['a --since without a zone', ['list', '--topic', 't', '--since', '2026-03-01T09:00'], /ISO 8601/],
    [
      '--to the dead-letter topic itself',
      ['replay', '--topic', 't', '--to', 't'],
      /dead-letter topic being read/,
    ],
  ])('usage error: %s', (_case, argv, message) => {
    expect(() => parseDlqArgs(argv)).toThrow(UsageError);
    expect(() => parseDlqArgs(argv)).toThrow(message);
  });

  it('the binary: rows on stdout and exit 0; exit 2 on a usage error; exit 1 when the topic does not exist', async () => {
    const run = (args: readonly string[]) =>
      runCli(['dlq', ...args], {
        KAFKA_BROKERS: brokers.join(','),
        SCHEMA_REGISTRY_URL: kafkaConfig.SCHEMA_REGISTRY_URL,
      });
    const [ok, usage, missing] = await Promise.all([
      run([
        'list',
        '--topic',
        topics.deadLetters,
        '--format',
        'json',
        '--offset',
        `${at['L2']!.partition}:${at['L2']!.offset}`,
      ]),
      run(['list', '--topic', topics.deadLetters, '--format', 'xml']),
      run(['list', '--topic', topics.gone]),
    ]);
    expect({ code: ok.code, stderr: ok.stderr }).toMatchObject({ code: 0 });
    expect(
      ok.stdout
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { errorCode: string }).errorCode),
    ).toEqual(['INVALID_STATUS']);
    expect(ok.stderr).toContain('by error code: INVALID_STATUS 1');
    expect(usage).toMatchObject({ code: 2, stdout: '' });
    expect(usage.stderr).toContain('"xml" is not csv or json');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`topic ${topics.gone} does not exist`);
  });
});
