import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { gzipSync } from 'node:zlib';
import { Analytics as SegmentAnalytics } from '@segment/analytics-node';
import RudderAnalytics from '@rudderstack/rudder-sdk-node';
import { ContactInbound } from '@optstream/contracts';
import { GatewayHarness, SEGMENT_WRITE_KEY } from './gateway-harness';

jest.setTimeout(90_000);

/**
 * The official libraries themselves, pointed at the gateway (docs/ingestion-gateway.md, "Libraries"):
 * each sends an identify with the contact data model's traits and a "Marketing Preference Updated"
 * track, and both must arrive on contact.inbound.v1 as the facts they stand for. The mobile libraries,
 * which cannot run here, are replayed byte for byte as their source builds the request (sources and
 * versions: docs/ingestion-gateway.md, "Segment and RudderStack libraries").
 */
const unique = () => `lib-${randomBytes(5).toString('hex')}`;
const WEB_ORIGIN = 'https://shop.optstream.example';

const identifyTraits = (userId: string) => ({
  email: `${userId}@example.com`,
  email_subscribed_status: true,
  sms_opt_in_date: '2024-05-01T10:00:00.000Z',
  phone: '+12133734253',
});
const preferenceTrack = (userId: string) => ({
  userId,
  event: 'Marketing Preference Updated',
  properties: { channel: 'push', new_status: 'unsubscribed', source_of_change: 'App Settings' },
});

/** What the identify and track above must become, whichever library sent them. */
function expectIdentifyAndTrack(facts: readonly ContactInbound[], userId: string): void {
  expect(new Set(facts.map((f) => f.eventId)).size).toBe(facts.length);
  const summary = facts
    .map((f) => [f.kind, f.preferenceChange?.channel ?? null, f.preferenceChange?.newStatus ?? null])
    .sort();
  expect(summary).toEqual(
    [
      ['identify', null, null],
      ['preference_change', 'email', 'subscribed'],
      ['preference_change', 'sms', 'subscribed'],
      ['preference_change', 'push', 'unsubscribed'],
    ].sort(),
  );
  for (const f of facts) expect(f.identifiers.externalId).toBe(userId);
  const identify = facts.find((f) => f.kind === 'identify');
  expect(identify?.identifiers.email).toBe(`${userId}@example.com`);
  expect(identify?.identifiers.phone).toBe('+12133734253');
  const sms = facts.find((f) => f.preferenceChange?.channel === 'sms');
  expect(sms?.occurredAt).toBe(Date.parse('2024-05-01T10:00:00.000Z'));
  const push = facts.find((f) => f.preferenceChange?.channel === 'push');
  expect(push?.preferenceChange?.sourceOfChange).toBe('App Settings');
}

describe('the official Segment and RudderStack libraries send to the gateway unmodified', () => {
  const h = new GatewayHarness({ SEGMENT_ALLOWED_ORIGINS: `${SEGMENT_WRITE_KEY}=${WEB_ORIGIN}` });
  beforeAll(() => h.start());
  afterAll(() => h.stop());

  /** The facts of one contact: the Avro value holds the externalId as plain string bytes. */
  async function factsOf(userId: string, count: number): Promise<ContactInbound[]> {
    const messages = await h.inbound.until((m) => m.value?.includes(userId) ?? false, count);
    return Promise.all(messages.map((m) => h.decodeInbound(m)));
  }

  it('@segment/analytics-node: identify and track reach contact.inbound.v1', async () => {
    const userId = unique();
    const errors: unknown[] = [];
    const analytics = new SegmentAnalytics({ writeKey: SEGMENT_WRITE_KEY, host: h.gateway.url });
    analytics.on('error', (error) => errors.push(error));
    analytics.identify({ userId, traits: identifyTraits(userId) });
    analytics.track(preferenceTrack(userId));
    await analytics.closeAndFlush({ timeout: 20_000 });
    expect(errors).toEqual([]);
    expectIdentifyAndTrack(await factsOf(userId, 4), userId);
  });

  it('@rudderstack/rudder-sdk-node: its gzipped, form-labelled batch reaches contact.inbound.v1', async () => {
    const userId = unique();
    const errors: unknown[] = [];
    const rudder = new RudderAnalytics(SEGMENT_WRITE_KEY, {
      dataPlaneUrl: h.gateway.url,
      flushAt: 20,
      retryCount: 0,
      logLevel: 'error',
      errorHandler: (error: unknown) => void errors.push(error),
    });
    rudder.identify({ userId, traits: identifyTraits(userId) });
    rudder.track(preferenceTrack(userId));
    await rudder.flush();
    expect(errors).toEqual([]);
    expectIdentifyAndTrack(await factsOf(userId, 4), userId);
  });

  /** Two events as the mobile libraries store them (type, ids, ISO timestamps, traits/properties). */
  const mobileEvents = (userId: string) => [
    {
      type: 'identify',
      userId,
      anonymousId: `anon-${userId}`,
      messageId: `${userId}-identify`,
      timestamp: new Date().toISOString(),
      traits: identifyTraits(userId),
      context: { library: { name: 'analytics-kotlin', version: '1.19.1' } },
      integrations: {},
    },
    {
      type: 'track',
      ...preferenceTrack(userId),
      anonymousId: `anon-${userId}`,
      messageId: `${userId}-track`,
      timestamp: new Date().toISOString(),
      context: {},
      integrations: {},
    },
  ];

  /** Raw HTTP/1.1 as the platform client sends it: chunked when the library streams its body. */
  function replay(
    headers: Record<string, string>,
    chunks: readonly Buffer[],
  ): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(h.url('/v1/b'), { method: 'POST', headers }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      for (const chunk of chunks) req.write(chunk);
      req.end();
    });
  }

  it('analytics-kotlin: POST /v1/b, text/plain, gzip streamed in chunks, write key in the body', async () => {
    // HTTPClient.upload + createPostConnection (Content-Encoding: gzip over GZIPOutputStream, chunked
    // streaming) and EventsFileManager's batch file `{"batch":[…],"sentAt":"…","writeKey":"…"}`:
    // https://github.com/segmentio/analytics-kotlin/blob/8d17d377093555bf1c34cf688d46489045b6d9f0/core/src/main/java/com/segment/analytics/kotlin/core/HTTPClient.kt
    // https://github.com/segmentio/analytics-kotlin/blob/9103e2b316dc5408a7aa07806b804a2e93a99b24/core/src/main/java/com/segment/analytics/kotlin/core/utilities/EventsFileManager.kt
    const userId = unique();
    const file = `{"batch":[${mobileEvents(userId)
      .map((e) => JSON.stringify(e))
      .join(',')}],"sentAt":"${new Date().toISOString()}","writeKey":"${SEGMENT_WRITE_KEY}"}`;
    const gz = gzipSync(file);
    const answer = await replay(
      {
        'Content-Type': 'text/plain',
        'Content-Encoding': 'gzip',
        'User-Agent': 'analytics-kotlin/1.19.1',
        'Transfer-Encoding': 'chunked',
      },
      [gz.subarray(0, 10), gz.subarray(10)],
    );
    expect(answer.status).toBe(200);
    expectIdentifyAndTrack(await factsOf(userId, 4), userId);
  });

  it('analytics-swift: POST /v1/b, application/json; charset=utf-8, uncompressed, write key in the body', async () => {
    // HTTPClient.startBatchUpload + configuredRequest (no Authorization header) and DirectoryStore's
    // batch file, one event per line:
    // https://github.com/segmentio/analytics-swift/blob/8b198c6c92bde18187df065bd9ce7b1fc3fd1f29/Sources/Segment/Utilities/Networking/HTTPClient.swift
    // https://github.com/segmentio/analytics-swift/blob/e216a7ba0f41a133bab0e2ecb4339b5a9325cae7/Sources/Segment/Utilities/Storage/Types/DirectoryStore.swift
    const userId = unique();
    const lines = mobileEvents(userId).map((e, i) => `${i === 0 ? '' : ','}${JSON.stringify(e)}\n`);
    const file = `{ "batch": [\n${lines.join('')}],"sentAt":"${new Date().toISOString()}","writeKey":"${SEGMENT_WRITE_KEY}"}\n`;
    const answer = await replay(
      {
        'Content-Type': 'application/json; charset=utf-8',
        'User-Agent': 'analytics-ios/1.7.3',
        'Accept-Encoding': 'gzip',
        'Content-Length': String(Buffer.byteLength(file)),
      },
      [Buffer.from(file)],
    );
    expect(answer.status).toBe(200);
    expectIdentifyAndTrack(await factsOf(userId, 4), userId);
  });
});
