import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { SCHEMAS, TOPICS, type IdentityEvent, type MarketingPreferenceUpdated } from '@optstream/contracts';
import { AvroCodec, createKafkaClient, ensureTopics } from '@optstream/kafka';
import { openDatabase } from '@optstream/postgres';
import {
  allocateVersion,
  applyIdentityBatch,
  applyPreferenceBatch,
  dropVersion,
  isApplicable,
  PREFERENCES_DATABASE,
  PreferencesReadModel,
  setActiveVersion,
  type PositionedEvent,
  type ProjectionTarget,
} from '@optstream/preferences-data-access';
import { stateAsOf } from '@optstream/preferences-domain';
import { readTopic, testDatabaseUrl, testKafkaConfig, uniqueName } from '@optstream/testing';
import type { Kafka, Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { asOfJson, historyJson, type HistoryRow } from '../src/history/audit-views';
import { parseHistoryArgs } from '../src/history/history-options';
import { runHistory, type HistoryReport } from '../src/history/run-history';
import { runCli } from './run-cli';

jest.setTimeout(120_000);

const B = Date.parse('2026-03-01T00:00:00Z');
const MIN = 60_000;
const H = 60 * MIN;
const iso = (ms: number): string => new Date(ms).toISOString();

const A = randomUUID();
const C = randomUUID();
const P = randomUUID(); // provisional, merged into A

function pref(
  externalId: string,
  channel: 'email' | 'sms' | 'push',
  newStatus: 'subscribed' | 'unsubscribed',
  occurredAt: number,
  recordedAt = occurredAt,
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
    occurredAt,
    recordedAt,
    causationId: randomUUID(),
    ...overrides,
  };
}

const mergeId = randomUUID();
const aOld = pref(A, 'push', 'subscribed', B - 30 * 24 * H);
// A formula lead, a comma and quotes: neutralised, RFC 4180-quoted in the CSV test.
const a1 = pref(A, 'email', 'subscribed', B + H, B + H, { sourceOfChange: '=Signup Form, "footer"' });
// The client's clock is 70 min ahead of ours: occurredAt is LATER than the record time.
const skewed = pref(C, 'sms', 'unsubscribed', B + 2 * H + 10 * MIN, B + H);
const p1 = pref(P, 'email', 'unsubscribed', B + H + 5 * MIN);
const c1 = pref(C, 'email', 'unsubscribed', B + 2 * H); // exactly at the range's start: in
const a2 = pref(A, 'email', 'unsubscribed', B + 3 * H);
const tieSub = pref(A, 'sms', 'subscribed', B + 4 * H); // exactly at the range's end: out
const tieUnsub = pref(A, 'sms', 'unsubscribed', B + 4 * H);
const c2 = pref(C, 'push', 'subscribed', B + 4 * H - 1);
const aLate = pref(A, 'email', 'subscribed', B + 2 * H + 30 * MIN, B + 5 * H); // late and older than a2
const reemitted = pref(A, 'email', 'unsubscribed', p1.occurredAt, B + 6 * H, {
  causationId: mergeId,
  sourceOfChange: p1.sourceOfChange,
});
const merge: IdentityEvent = {
  eventId: mergeId,
  externalId: A,
  kind: 'contacts_merged',
  provisional: false,
  identifier: null,
  otherExternalId: P,
  occurredAt: B + 6 * H,
  recordedAt: B + 6 * H,
  causationId: randomUUID(),
};

/** In log order (by record time), with a1 delivered twice (a provider retry). */
const LOG: MarketingPreferenceUpdated[] = [
  aOld,
  a1,
  skewed,
  p1,
  c1,
  a2,
  tieSub,
  tieUnsub,
  c2,
  aLate,
  { ...a1, recordedAt: B + 5 * H },
  reemitted,
];
const DISTINCT = [...new Map(LOG.map((e) => [e.eventId, e])).values()];

describe('optstream history: the audit trail straight from Kafka, agreeing with the read model', () => {
  const kafkaConfig = testKafkaConfig();
  const id = uniqueName('cli');
  const topics = { preferences: `${id}.mpu`, identity: `${id}.identity` };
  const projection = id;
  let kafka: Kafka;
  let codec: AvroCodec;
  let producer: Producer;
  let db: DataSource;
  let version: number;
  let readModel: PreferencesReadModel;

  const send = async (topic: string, events: readonly (MarketingPreferenceUpdated | IdentityEvent)[]) =>
    producer.send({
      topic,
      acks: -1,
      messages: await Promise.all(
        events.map(async (e) => ({
          key: e.externalId,
          value: await codec.encode(topic, e),
          // The record time is when the event was recorded, as when the resolver writes it.
          timestamp: String(e.recordedAt),
        })),
      ),
    });

  beforeAll(async () => {
    kafka = createKafkaClient(kafkaConfig, 'cli-test');
    codec = AvroCodec.fromConfig(kafkaConfig);
    await ensureTopics(
      kafka,
      [
        { ...TOPICS.marketingPreferenceUpdated, name: topics.preferences },
        { ...TOPICS.identity, name: topics.identity },
      ],
      { partitions: 3 },
    );
    await codec.register(topics.preferences, SCHEMAS[TOPICS.marketingPreferenceUpdated.valueSchema]);
    await codec.register(topics.identity, SCHEMAS[TOPICS.identity.valueSchema]);
    producer = kafka.producer({ maxInFlightRequests: 1, allowAutoTopicCreation: false });
    await producer.connect();
    for (const event of LOG) {
      await send(topics.preferences, [event]);
      if (event === reemitted) await send(topics.identity, [merge]);
    }

    // The read model, built by the projector's own batch functions from the same log (one
    // transaction per partition batch, in offset order), in a projection of its own.
    db = await openDatabase({
      url: testDatabaseUrl(),
      applicationName: 'cli-test',
      poolSize: 2,
      migrationsTableName: PREFERENCES_DATABASE.migrationsTableName,
      migrations: [...PREFERENCES_DATABASE.migrations],
    });
    version = await allocateVersion(db);
    await setActiveVersion(db.manager, projection, version);
    const target: ProjectionTarget = { projection, version, fenceActiveVersion: false, useOutbox: false };
    const brokers = kafkaConfig.KAFKA_BROKERS;
    for (const [topic, count] of [
      [topics.identity, 1],
      [topics.preferences, LOG.length],
    ] as const) {
      const messages = await readTopic(brokers, topic, { count });
      for (const partition of [0, 1, 2]) {
        const mine = messages
          .filter((m) => m.partition === partition)
          .sort((x, y) => Number(BigInt(x.message.offset) - BigInt(y.message.offset)));
        const events: PositionedEvent<never>[] = await Promise.all(
          mine.map(async (m) => ({
            offset: m.message.offset,
            value: await codec.decode<never>(m.message.value),
          })),
        );
        if (events.length === 0) continue;
        if (topic === topics.identity) await applyIdentityBatch(db, target, { topic, partition, events });
        else
          await applyPreferenceBatch(db, target, {
            topic,
            partition,
            events: (events as PositionedEvent<MarketingPreferenceUpdated>[]).filter((e) =>
              isApplicable(e.value),
            ),
          });
      }
    }
    readModel = new PreferencesReadModel(db, projection);
  });

  afterAll(async () => {
    await producer?.disconnect();
    if (db) {
      await dropVersion(db, version);
      await db.query(`DELETE FROM preferences.projections WHERE projection = $1`, [projection]);
      await db.destroy();
    }
  });

  async function history(
    args: readonly string[],
  ): Promise<{ lines: string[]; err: string; report: HistoryReport }> {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    let err = '';
    stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const report = await runHistory(parseHistoryArgs(args), { kafka, codec, topics, stdout, stderr });
    return { lines: out.split('\n').filter((l) => l !== ''), err, report };
  }
  const json = (lines: readonly string[]) => lines.map((l) => JSON.parse(l) as Record<string, unknown>);

  it("one contact's history equals the read model's: every distinct event, same order, same effects", async () => {
    const { lines, err } = await history(['--contact', A, '--format', 'json']);
    const cli = json(lines).map(({ log: _log, externalId: _id, ...rest }) => rest);
    const expected = (await readModel.history(A)).map((entry) => {
      const effect = entry.effect as HistoryRow['effect'];
      const {
        log: _log,
        externalId: _id,
        ...rest
      } = historyJson({ event: entry.event, partition: 0, offset: '0', effect });
      return rest;
    });
    expect(cli).toEqual(expected);
    // The late event and the lost side of the tie are in the history, and were no-ops.
    expect(cli.map((e) => [e['eventId'], e['effect']])).toEqual(
      expect.arrayContaining([
        [aLate.eventId, 'older'],
        [a1.eventId, 'changed'],
      ]),
    );
    expect(cli).toHaveLength(DISTINCT.filter((e) => e.externalId === A).length);
    expect(err).toContain(`${P} was merged into ${A}`);
  });

  it('a time range is exactly the changes with from <= occurredAt < to, and the read seeks past older records', async () => {
    const from = B + 2 * H;
    const to = B + 4 * H;
    const expected = DISTINCT.filter((e) => e.occurredAt >= from && e.occurredAt < to)
      .sort((x, y) => x.occurredAt - y.occurredAt || (x.eventId < y.eventId ? -1 : 1))
      .map((e) => e.eventId);
    const { lines, report } = await history([
      '--from',
      iso(from),
      '--to',
      iso(to),
      '--late-slack',
      '2h',
      '--format',
      'json',
    ]);
    expect(json(lines).map((e) => e['eventId'])).toEqual(expected);
    expect(expected).toEqual(expect.arrayContaining([c1.eventId, c2.eventId, aLate.eventId, skewed.eventId]));
    // offsets-for-times: the 30-day-old record (and the duplicate's first copy) were never read.
    expect(report.preferences.fromBeginning).toBe(false);
    expect(report.preferences.read).toBeLessThan(LOG.length);
    // Effects need the state before the seek point: not claimed.
    expect(json(lines).every((e) => e['effect'] === null)).toBe(true);

    // Without slack the skewed event (occurredAt after its record time) sits before the seek point.
    const exact = await history([
      '--from',
      iso(from),
      '--to',
      iso(to),
      '--late-slack',
      '0s',
      '--format',
      'json',
    ]);
    expect(json(exact.lines).map((e) => e['eventId'])).toEqual(expected.filter((e) => e !== skewed.eventId));
  });

  it("everyone's state as of a time is the domain's fold of each contact's log, and agrees with the read model", async () => {
    for (const at of [B + 3 * H + 30 * MIN, B + 7 * H]) {
      const { lines } = await history(['--as-of', iso(at), '--format', 'json']);
      const rows = json(lines);
      const expected = [A, C, P]
        .sort()
        .map((externalId) => ({
          externalId,
          state: stateAsOf(
            LOG.filter((e) => e.externalId === externalId),
            { at },
          ).state,
        }))
        .filter((r) => r.state !== null)
        .map((r) =>
          asOfJson({
            ...r,
            at,
            knownAt: undefined,
            mergedInto: r.externalId === P && at >= merge.occurredAt ? A : null,
          }),
        );
      expect(rows).toEqual(JSON.parse(JSON.stringify(expected)));
      const fromReadModel = stateAsOf(
        (await readModel.history(A)).map((h) => h.event),
        { at },
      ).state;
      expect(rows.find((r) => r['externalId'] === A)).toEqual(
        JSON.parse(
          JSON.stringify(
            asOfJson({ externalId: A, at, knownAt: undefined, state: fromReadModel, mergedInto: null }),
          ),
        ),
      );
    }
    // The tie at B+4h: unsubscribed wins.
    const { lines } = await history(['--as-of', iso(B + 7 * H), '--contact', A, '--format', 'json']);
    expect(json(lines)).toEqual([
      expect.objectContaining({
        externalId: A,
        channels: expect.objectContaining({
          sms: expect.objectContaining({ status: 'unsubscribed', eventId: tieUnsub.eventId }),
        }),
      }),
    ]);
  });

  it('the CLI binary writes RFC 4180 CSV to a file, progress to stderr only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'optstream-cli-'));
    const out = join(dir, 'a.csv');
    const { code, stdout, stderr } = await runCli(
      [
        'history',
        '--contact',
        A,
        '--topic',
        topics.preferences,
        '--identity-topic',
        topics.identity,
        '--out',
        out,
      ],
      {
        KAFKA_BROKERS: kafkaConfig.KAFKA_BROKERS.join(','),
        SCHEMA_REGISTRY_URL: kafkaConfig.SCHEMA_REGISTRY_URL,
      },
    );
    expect({ code, stderr }).toMatchObject({ code: 0 });
    expect(stdout).toBe('');
    expect(stderr).toMatch(/row\(s\); read \d+ of \d+ record\(s\)/);

    const rows = parseCsv(readFileSync(out, 'utf8'));
    expect(rows[0]).toEqual([
      'event_id',
      'external_id',
      'channel',
      'status',
      'occurred_at',
      'recorded_at',
      'source_of_change',
      'source_system',
      'provider_event_ref',
      'causation_id',
      'effect',
      'partition',
      'offset',
      'topic',
      'occurred_at_precision',
      'original_occurred_at',
      'evidence_strength',
      'evidence_kind',
      'evidence_trust',
      'collection_point',
      'consent_text',
      'actor',
      'legal_basis',
      'jurisdiction',
      'ip_address',
      'user_agent',
    ]);
    const body = rows.slice(1);
    // Events of the first release: channel-wide, precision unknown (= millisecond), no evidence.
    expect(body.find((r) => r[0] === a1.eventId)?.slice(13, 16)).toEqual(['', 'unknown', '']);
    expect(body.map((r) => r[0])).toEqual((await readModel.history(A)).map((h) => h.event.eventId));
    // The apostrophe keeps a spreadsheet from running a sender's text as a formula.
    expect(body.find((r) => r[0] === a1.eventId)?.[6]).toBe(`'=Signup Form, "footer"`);
  });

  it('with nothing set, the CLI uses the local stack (the endpoints stack:up writes) and says which', async () => {
    const stackDir = mkdtempSync(join(tmpdir(), 'optstream-cli-stack-'));
    mkdirSync(join(stackDir, 'run'));
    const database = new URL(testDatabaseUrl());
    writeFileSync(
      join(stackDir, 'run', 'endpoints.env'),
      `KAFKA_BROKERS=${kafkaConfig.KAFKA_BROKERS.join(',')}\nSCHEMA_REGISTRY_URL=${kafkaConfig.SCHEMA_REGISTRY_URL}\nDATABASE_URL=${database.toString()}\n`,
    );
    const args = [
      'history',
      '--contact',
      A,
      '--topic',
      topics.preferences,
      '--identity-topic',
      topics.identity,
    ];
    const { code, stdout, stderr } = await runCli([...args, '--format', 'json'], {
      KAFKA_BROKERS: undefined,
      SCHEMA_REGISTRY_URL: undefined,
      DATABASE_URL: undefined,
      OPTSTREAM_STACK_DIR: stackDir,
    });
    expect({ code, stderr }).toMatchObject({ code: 0 });
    expect(stderr).toContain(
      `using the local stack (${join(stackDir, 'run', 'endpoints.env')}): Kafka ${kafkaConfig.KAFKA_BROKERS.join(',')}, schema registry ${kafkaConfig.SCHEMA_REGISTRY_URL}`,
    );
    expect(stderr).toContain(`:***@${database.host}`); // the database password is not printed
    const ids = stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => (JSON.parse(line) as { eventId: string }).eventId);
    expect(ids).toEqual((await readModel.history(A)).map((h) => h.event.eventId));
  });

  it('rejects a command line it cannot answer precisely', () => {
    expect(() => parseHistoryArgs(['--from', '2026-03-01'])).toThrow(
      /--contact, --from and --to, or --as-of/,
    );
    expect(() => parseHistoryArgs(['--as-of', '2026-03-01 09:00'])).toThrow(/ISO 8601/);
    expect(() => parseHistoryArgs(['--from', iso(B + H), '--to', iso(B)])).toThrow(/before --to/);
    expect(() => parseHistoryArgs(['--contact', A, '--format', 'xml'])).toThrow(/csv or json/);
    expect(() => parseHistoryArgs(['--contact', A, '--late-slack', '7 days'])).toThrow(/duration/);
  });
});

/** A strict RFC 4180 reader for the assertions (CRLF records, quoted fields, doubled quotes). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 1;
    } else field += ch;
  }
  return rows;
}
