import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { TOPICS, type ContactInbound, type MarketingPreferenceUpdated } from '@optstream/contracts';
import { AvroCodec, createKafkaClient, ensureTopics, EventPublisher, HEADER } from '@optstream/kafka';
import { keyedHash } from '@optstream/pii-crypto';
import { foldEvents } from '@optstream/preferences-domain';
import { readWholeTopic, testKafkaConfig, uniqueName } from '@optstream/testing';
import type { Kafka } from 'kafkajs';
import { parseBackfillArgs } from '../src/backfill/backfill-options';
import { runBackfill, type BackfillDeps } from '../src/backfill/run-backfill';

jest.setTimeout(120_000);

const T = (iso: string): number => Date.parse(iso);
const dir = mkdtempSync(join(tmpdir(), 'optstream-backfill-test-'));
const file = (name: string, lines: readonly string[]): string => {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\r\n')}\r\n`);
  return path;
};

const EXT_A = `ext-${randomUUID()}`;
const EXT_B = `ext-${randomUUID()}`;
// Alice: externalId A in Braze, her email in SendGrid (other case), her phone in Twilio (national format).
const braze = file('braze.csv', [
  'external_id,email,phone,email_subscribe,push_subscribe,sms_subscribe,updated_at',
  `${EXT_A},Alice@Example.com,+14155550123,opted_in,opted_in,subscribed,2024-01-01T00:00:00Z`,
  `${EXT_B},bob@example.com,,unsubscribed,,,2024-03-01T00:00:00Z`,
  `${EXT_B},bob@example.com,,unsubscribed,,,2024-03-01T00:00:00Z`, // exact duplicate
]);
const sendgrid = file('sendgrid.csv', [
  'email,created',
  `alice@example.com,${T('2024-02-01T00:00:00Z') / 1000}`, // newer than Braze: unsubscribed wins
  `bob@example.com,${T('2023-01-01T00:00:00Z') / 1000}`, // same status, older: superseded, no conflict
  'not-an-email,1700000000', // BAD_EMAIL
  'carol@example.com,', // MISSING_TIMESTAMP
]);
const twilio = file('twilio.csv', [
  'phone_number,date_created,OptOutType',
  '(415) 555-0123,2023-06-01 00:00:00,STOP', // older than Braze's sms "subscribed": Braze wins
  '+1 555,2024-01-01 00:00:00,STOP', // BAD_PHONE
]);
// A mapping file for an in-house export; strict about columns. Dave's tie: same instant, both statuses.
const mapping = join(dir, 'crm-mapping.json');
writeFileSync(
  mapping,
  JSON.stringify({
    name: 'crm',
    externalId: 'customer_id',
    email: 'mail',
    timestamp: 'changed',
    channels: [{ channel: 'push', status: 'push_ok', values: { subscribed: ['Y'], unsubscribed: ['N'] } }],
    ignore: ['comment'],
  }),
);
const crm = file('crm.csv', [
  'customer_id,mail,push_ok,changed,comment,extra',
  `${EXT_A},,N,2024-04-01T00:00:00Z,latest push choice,`, // newer push: unsubscribed wins over Braze
  `${EXT_B},,Y,2024-05-01T00:00:00Z,,surprise`, // UNKNOWN_COLUMN
  'ext-dave,,Y,2024-05-01T00:00:00Z,,',
  'ext-dave,,N,2024-05-01T00:00:00Z,,', // exact tie: unsubscribed wins
]);

interface Report {
  summary: Record<string, unknown> & { rejectedByReason: Record<string, number> };
  conflicts: {
    attribute: string;
    contact: { externalId: string | null };
    a: { file: string; value: string };
    b: { file: string; value: string };
    winner: string;
  }[];
  rejected: { file: string; line: number; code: string }[];
}

describe('optstream backfill', () => {
  const kafkaConfig = testKafkaConfig();
  const hashKey = randomBytes(32);
  const topic = uniqueName('cli-backfill');
  let kafka: Kafka;
  let codec: AvroCodec;
  let publisher: EventPublisher;
  const stderr = new PassThrough();
  stderr.resume();

  beforeAll(async () => {
    kafka = createKafkaClient(kafkaConfig, 'cli-backfill-test');
    codec = AvroCodec.fromConfig(kafkaConfig);
    await ensureTopics(kafka, [{ ...TOPICS.contactInbound, name: topic }], { partitions: 3 });
    publisher = new EventPublisher(kafka, codec, { [topic]: TOPICS.contactInbound.valueSchema });
    await publisher.connect();
  });
  afterAll(async () => publisher?.disconnect());

  const deps = (extra: Partial<BackfillDeps> = {}): BackfillDeps => ({
    topic,
    publish: { sink: publisher, codec, hashKey },
    stderr,
    ...extra,
  });
  const files = [braze, sendgrid, twilio];

  it('--dry-run: the report holds the counts, every conflict with both sides and the winner, every rejected row', async () => {
    const report = join(dir, 'report.json');
    const { summary } = await runBackfill(
      parseBackfillArgs([...files, '--dry-run', '--report', report, '--quiet']),
      { topic, stderr },
    );
    const json = JSON.parse(readFileSync(report, 'utf8')) as Report;
    expect(json.summary).toMatchObject({
      rows: 9,
      accepted: 6,
      rejected: 3,
      rejectedByReason: { BAD_EMAIL: 1, MISSING_TIMESTAMP: 1, BAD_PHONE: 1 },
      duplicates: 1,
      superseded: 1,
      conflicts: 2,
      contacts: 2,
      events: 4, // Alice email+sms+push, Bob email
      published: 0,
      dryRun: true,
    });
    expect(summary.eventsByChannel).toEqual({
      email: { subscribed: 0, unsubscribed: 2 },
      sms: { subscribed: 1, unsubscribed: 0 },
      push: { subscribed: 1, unsubscribed: 0 },
    });
    expect(json.conflicts).toEqual([
      expect.objectContaining({
        attribute: 'email',
        contact: expect.objectContaining({ externalId: EXT_A }),
        a: expect.objectContaining({ file: braze, value: 'subscribed' }),
        b: expect.objectContaining({ file: sendgrid, value: 'unsubscribed' }),
        winner: 'b',
      }),
      expect.objectContaining({
        attribute: 'sms',
        a: expect.objectContaining({ file: braze, value: 'subscribed' }),
        b: expect.objectContaining({ file: twilio, value: 'unsubscribed' }),
        winner: 'a',
      }),
    ]);
    expect(json.rejected.map((r) => [r.file, r.line, r.code])).toEqual([
      [sendgrid, 4, 'BAD_EMAIL'],
      [sendgrid, 5, 'MISSING_TIMESTAMP'],
      [twilio, 3, 'BAD_PHONE'],
    ]);
    // Nothing was published.
    const admin = kafka.admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets(topic);
    await admin.disconnect();
    expect(offsets.every((o) => o.high === '0')).toBe(true);
  });

  it('Ctrl-C while reading stops before publishing anything; no scratch file is left behind', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'optstream-backfill-scratch-'));
    const sent: string[] = [];
    const result = await runBackfill(
      parseBackfillArgs([...files, '--quiet', '--temp-dir', scratch, '--checkpoint', join(scratch, 'cp')]),
      {
        ...deps({ interrupted: () => true }),
        publish: {
          codec,
          hashKey,
          sink: { publish: async (_t, events) => void sent.push(...events.map((e) => e.eventId)) },
        },
      },
    );
    expect(result).toMatchObject({ interrupted: true, summary: { published: 0, events: 0 } });
    expect(result.summary.rows).toBeGreaterThan(0);
    expect(sent).toEqual([]);
    expect(readdirSync(scratch)).toEqual([]); // merge spool and report spool both removed
    // A completed run leaves nothing either.
    await runBackfill(
      parseBackfillArgs([
        ...files,
        '--dry-run',
        '--quiet',
        '--report',
        join(dir, 'r.json'),
        '--temp-dir',
        scratch,
      ]),
      { topic, stderr },
    );
    expect(readdirSync(scratch)).toEqual([]);
  });

  it('a mapping file: unknown columns are rejected, an exact tie goes to unsubscribed; the CSV report', async () => {
    const report = join(dir, 'crm-report.csv');
    const { summary } = await runBackfill(
      parseBackfillArgs([crm, '--mapping', mapping, '--dry-run', '--report', report, '--quiet']),
      { topic, stderr },
    );
    expect(summary).toMatchObject({
      rows: 4,
      accepted: 3,
      rejectedByReason: { UNKNOWN_COLUMN: 1 },
      conflicts: 1,
    });
    const csv = readFileSync(report, 'utf8');
    expect(csv.split('\r\n')[0]).toMatch(/^kind,attribute_or_code,value_or_reason,external_id/);
    expect(csv).toContain('conflict,push,,ext-dave');
    expect(csv).toMatch(/conflict,push,,ext-dave,,,.*,subscribed,.*,unsubscribed,[^,]*,b\r\n/);
    expect(csv).toMatch(/rejected,UNKNOWN_COLUMN,values in columns the mapping does not know: extra/);
  });

  it('publishes the winners as inbound events like the gateway, resumes without duplicates, and stays deterministic', async () => {
    const checkpoint = join(dir, 'checkpoint.json');
    // The three provider exports, formats detected from their headers; one event per Kafka send.
    const argv = [...files, '--quiet', '--checkpoint', checkpoint, '--batch-size', '1'];
    // Interrupted (Ctrl-C) once the first batch is sent…
    let sent = false;
    const first = await runBackfill(parseBackfillArgs(argv), {
      ...deps({ interrupted: () => sent }),
      publish: {
        codec,
        hashKey,
        sink: { publish: async (t, events) => void (await publisher.publish(t, events), (sent = true)) },
      },
    });
    expect(first).toMatchObject({ interrupted: true, summary: { published: 1 } });
    expect(existsSync(checkpoint)).toBe(true);
    // …and resumed: the rest, nothing twice.
    const second = await runBackfill(parseBackfillArgs(argv), deps());
    expect(second).toMatchObject({ interrupted: false, summary: { published: 4, resumedAfter: 1 } });
    expect(existsSync(checkpoint)).toBe(false);

    // The whole topic, not the first four to arrive: a fifth (a row sent twice) must be seen.
    const messages = await readWholeTopic(kafkaConfig.KAFKA_BROKERS, topic);
    expect(messages).toHaveLength(4);
    const facts = await Promise.all(messages.map((m) => codec.decode<ContactInbound>(m.message.value)));
    expect(new Set(facts.map((f) => f.eventId)).size).toBe(4);
    const byChannel = (id: string | null, channel: string) =>
      facts.find((f) => f.identifiers.externalId === id && f.preferenceChange?.channel === channel);
    expect(byChannel(EXT_A, 'email')).toMatchObject({
      source: { system: 'backfill' },
      occurredAt: T('2024-02-01T00:00:00Z'), // the file's own time
      identifiers: {
        externalId: EXT_A,
        email: 'alice@example.com',
        phone: '+14155550123',
        anonymousId: null,
      },
      kind: 'preference_change',
      preferenceChange: { channel: 'email', newStatus: 'unsubscribed', sourceOfChange: 'Backfill' },
    });
    expect(byChannel(EXT_A, 'sms')).toMatchObject({
      occurredAt: T('2024-01-01T00:00:00Z'),
      preferenceChange: { newStatus: 'subscribed' },
    });
    expect(byChannel(EXT_B, 'email')).toMatchObject({
      occurredAt: T('2024-03-01T00:00:00Z'),
      preferenceChange: { newStatus: 'unsubscribed' },
    });
    // Keyed like the gateway: hash of the strongest identifier, never plaintext; event id header set.
    for (const m of messages) {
      const fact = facts[messages.indexOf(m)] as ContactInbound;
      expect(m.message.key?.toString()).toBe(
        keyedHash(hashKey, 'external_id', fact.identifiers.externalId as string),
      );
      expect(m.message.headers?.[HEADER.eventId]?.toString()).toBe(fact.eventId);
    }

    // A repeated run (new checkpoint) publishes the very same ids: the resolver drops them as replays.
    const again = join(dir, 'other-topic-run.json');
    const ids: string[] = [];
    await runBackfill(parseBackfillArgs([...files, '--quiet', '--checkpoint', again]), {
      ...deps(),
      publish: {
        codec,
        hashKey,
        sink: { publish: async (_t, events) => void ids.push(...events.map((e) => e.eventId)) },
      },
    });
    expect(ids.sort()).toEqual(facts.map((f) => f.eventId).sort());

    // Latest wins downstream: the resolver turns each inbound fact into a preference event with the
    // same occurredAt; folded by the projector's own function with live events recorded earlier, a
    // live change NEWER than the file row survives the backfill, an OLDER one does not.
    const asPreference = (f: ContactInbound, recordedAt: number): MarketingPreferenceUpdated => ({
      eventId: f.eventId,
      externalId: EXT_A,
      channel: f.preferenceChange?.channel ?? 'unknown',
      newStatus: f.preferenceChange?.newStatus ?? 'unknown',
      sourceOfChange: f.preferenceChange?.sourceOfChange ?? '',
      source: f.source,
      occurredAt: f.occurredAt,
      recordedAt,
      causationId: f.eventId,
    });
    const live = (channel: 'email' | 'push', newStatus: 'subscribed' | 'unsubscribed', at: string) => ({
      eventId: randomUUID(),
      externalId: EXT_A,
      channel,
      newStatus,
      sourceOfChange: 'Email Unsubscribe Link',
      source: { system: 'sendgrid' as const, providerEventRef: randomUUID() },
      occurredAt: T(at),
      recordedAt: T(at),
      causationId: randomUUID(),
    });
    const liveNewer = live('email', 'subscribed', '2024-06-01T00:00:00Z'); // re-subscribed after the export
    const liveOlder = live('push', 'unsubscribed', '2023-01-01T00:00:00Z');
    const backfilled = facts
      .filter((f) => f.identifiers.externalId === EXT_A)
      .map((f) => asPreference(f, Date.now()));
    for (const order of [
      [liveNewer, liveOlder, ...backfilled],
      [...backfilled, liveOlder, liveNewer],
    ]) {
      const state = foldEvents(order).state;
      expect(state?.channels.email).toMatchObject({ status: 'subscribed', eventId: liveNewer.eventId });
      expect(state?.channels.push).toMatchObject({ status: 'subscribed', sourceOfChange: 'Backfill' });
      expect(state?.channels.sms).toMatchObject({ status: 'subscribed', sourceOfChange: 'Backfill' });
    }
  });
});
