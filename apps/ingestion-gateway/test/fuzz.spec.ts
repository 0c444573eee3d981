import { performance } from 'node:perf_hooks';
import fc from 'fast-check';
import { randomBytes } from 'node:crypto';
import { GatewayHarness } from './gateway-harness';

/**
 * `npm test` runs a few hundred bodies per endpoint; `npm run test:fuzz` sets FUZZ_RUNS_PER_ENDPOINT
 * (10,000 there) for a nightly-sized run. Every answer must also come within FUZZ_MAX_ANSWER_MS: generous
 * by default because one slow answer on a shared 2-core machine is a GC pause, not a fault; the
 * worst-case bodies have their own tight guard (worst-bodies.spec.ts).
 */
const PER_ENDPOINT = Number(process.env['FUZZ_RUNS_PER_ENDPOINT'] ?? 0);
const MAX_ANSWER_MS = Number(process.env['FUZZ_MAX_ANSWER_MS'] ?? 1_000);
const runs = (everyday: number, endpoints = 1): number =>
  PER_ENDPOINT > 0 ? PER_ENDPOINT * endpoints : everyday;
const SEGMENT_PATHS = ['/v1/track', '/v1/identify', '/v1/batch', '/v1/t', '/v1/i', '/v1/b', '/v1/p', '/v1/a'];

jest.setTimeout(Math.max(180_000, runs(0, SEGMENT_PATHS.length) * 40));

/** Valid-looking payloads per endpoint, which the mutations below then break in every way they can. */
const sendgridEvent = fc.record({
  email: fc.oneof(fc.emailAddress(), fc.string()),
  timestamp: fc.oneof(fc.integer({ min: 1_600_000_000, max: 1_900_000_000 }), fc.string(), fc.constant(null)),
  event: fc.constantFrom(
    'unsubscribe',
    'group_unsubscribe',
    'spamreport',
    'group_resubscribe',
    'delivered',
    'open',
    'bounce',
    'mystery',
  ),
  sg_event_id: fc.oneof(fc.string({ minLength: 1, maxLength: 40 }), fc.integer()),
});
const segmentCall = fc.record(
  {
    type: fc.constantFrom('identify', 'track', 'page', 'alias', 'weird'),
    event: fc.constantFrom(
      'Marketing Preference Updated',
      'Push Notification Permission Changed',
      'Order Completed',
    ),
    userId: fc.oneof(fc.uuid(), fc.constantFrom('0', 'null', '', 'anonymous'), fc.integer()),
    messageId: fc.string({ minLength: 1, maxLength: 30 }),
    timestamp: fc.oneof(
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      fc.string(),
    ),
    traits: fc.dictionary(
      fc.constantFrom(
        'email',
        'phone',
        'email_subscribed_status',
        'sms_subscribed_status',
        'push_notification_enabled',
      ),
      fc.jsonValue(),
    ),
    properties: fc.dictionary(
      fc.constantFrom('channel', 'new_status', 'source_of_change', 'timestamp', 'enabled'),
      fc.jsonValue(),
    ),
  },
  { requiredKeys: [] },
);
const twilioForm = fc.dictionary(
  fc.constantFrom('MessageSid', 'From', 'To', 'Body', 'OptOutType', 'AccountSid', 'Extra'),
  fc.oneof(
    fc.string(),
    fc.constantFrom('STOP', 'start', 'HELP', '+14155550123', '+1 (415) 555-0199', 'not-a-phone'),
  ),
);

/** A body is valid JSON of anything, a mutated valid payload, or plain garbage. */
function jsonBodies(valid: fc.Arbitrary<unknown>): fc.Arbitrary<string> {
  return fc.oneof(
    valid.map((v) => JSON.stringify(v)),
    fc.jsonValue().map((v) => JSON.stringify(v)),
    fc.string(),
    fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1')),
    valid.map((v) => JSON.stringify(v).slice(0, -3)),
  );
}

describe('ingestion-gateway under generated and mutated bodies (property-based)', () => {
  const h = new GatewayHarness();
  beforeAll(() => h.start());
  afterAll(() => h.stop());

  const statuses = new Map<number, number>();
  const slowest = new Map<string, number>();
  async function send(path: string, body: string, headers: Record<string, string>): Promise<number> {
    const started = performance.now();
    const { status } = await h.post(path, body, headers);
    const endpoint = path.split('?')[0] ?? path;
    slowest.set(endpoint, Math.max(slowest.get(endpoint) ?? 0, performance.now() - started));
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    return status;
  }
  const noServerError = (status: number) => status < 500;

  it('SendGrid (signed): never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(jsonBodies(fc.array(sendgridEvent, { maxLength: 5 })), async (body) =>
        noServerError(await send('/webhooks/sendgrid', body, h.sendgridHeaders(body))),
      ),
      { numRuns: runs(500) },
    );
  });

  it('Segment track, identify and batch: never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...SEGMENT_PATHS),
        jsonBodies(fc.oneof(segmentCall, fc.record({ batch: fc.array(segmentCall, { maxLength: 4 }) }))),
        async (path, body) => noServerError(await send(path, body, h.segmentHeaders())),
      ),
      { numRuns: runs(800, SEGMENT_PATHS.length) },
    );
  });

  it('Twilio (signed) and Mailchimp: never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(twilioForm, async (params) =>
        noServerError(
          await send('/webhooks/twilio/sms', new URLSearchParams(params).toString(), h.twilioHeaders(params)),
        ),
      ),
      { numRuns: runs(400) },
    );
    await fc.assert(
      fc.asyncProperty(fc.string(), async (body) =>
        noServerError(
          await send(`/webhooks/mailchimp?key=${h.mailchimpSecret}`, body, {
            'content-type': 'application/x-www-form-urlencoded',
          }),
        ),
      ),
      { numRuns: runs(300) },
    );
  });

  it('signed API: never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        jsonBodies(
          fc.record({
            email: fc.emailAddress(),
            channel: fc.string(),
            newStatus: fc.string(),
            sourceOfChange: fc.string(),
            occurredAt: fc.string(),
            requestId: fc.string(),
          }),
        ),
        async (body) => noServerError(await send('/v1/preferences', body, h.apiHeaders(body))),
      ),
      { numRuns: runs(400) },
    );
  });

  it('every valid event among generated ones is published, and the gateway is still healthy', async () => {
    const run = randomBytes(4).toString('hex');
    const emails = await fc.sample(fc.emailAddress(), 200);
    const events = emails.map((email, i) => ({
      email,
      timestamp: 1_767_225_600 + i,
      event: 'unsubscribe',
      sg_event_id: `${run}-${i}`,
    }));
    for (let i = 0; i < events.length; i += 50) {
      const body = JSON.stringify(events.slice(i, i + 50));
      expect(await send('/webhooks/sendgrid', body, h.sendgridHeaders(body))).toBe(200);
    }
    const published = await h.inbound.until(
      (m) =>
        m.headers?.['optstream-event-id'] !== undefined &&
        (m.value?.toString('latin1') ?? '').includes(`${run}-`),
      200,
    );
    expect(published).toHaveLength(200);
    expect((await fetch(h.url('/health/ready'))).status).toBe(200);
    const total = [...statuses.values()].reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(2000);
    expect([...statuses.keys()].every((s) => s < 500)).toBe(true);
    const tooSlow = [...slowest.entries()].filter(([, ms]) => ms > MAX_ANSWER_MS);
    expect(tooSlow).toEqual([]);
  });
});
