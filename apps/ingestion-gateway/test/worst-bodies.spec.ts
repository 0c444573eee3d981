import { performance } from 'node:perf_hooks';
import { deflateSync, gzipSync } from 'node:zlib';
import { GatewayHarness } from './gateway-harness';

jest.setTimeout(120_000);

/**
 * The gateway's answer to the most expensive body a sender can make within the body limit, signed or not.
 * A benchmark-style guard: each body is sent a few times and the fastest answer must stay within the bound
 * (a loaded CI machine slows some answers, never all of them; a quadratic parse took seconds for each).
 * The bound is 100 ms on an idle machine; on a loaded one (the suite shares 2 cores with other workers)
 * it grows with a baseline measured right before, in the same process: the fastest answer to a health
 * check, a few milliseconds when idle. LOAD_FACTOR of it stays far below the seconds a quadratic parse took.
 */
const BOUND_MS = 100;
const LOAD_FACTOR = 25;
const TRIES = 3;

/** The fastest of TRIES answers to `send`, in milliseconds. */
async function fastest(send: () => Promise<unknown>): Promise<number> {
  const timings: number[] = [];
  for (let i = 0; i < TRIES; i++) {
    const started = performance.now();
    await send();
    timings.push(performance.now() - started);
  }
  return Math.min(...timings);
}
const LIMIT = 1024 * 1024;

const repeatTo = (unit: string, bytes: number): string => unit.repeat(Math.floor(bytes / unit.length));

describe('ingestion-gateway answers the worst body up to the size limit quickly', () => {
  const h = new GatewayHarness({ BODY_LIMIT_BYTES: String(LIMIT) });
  beforeAll(() => h.start());
  afterAll(() => h.stop());

  const repeatedKeys = repeatTo('a=1&', LIMIT - 16);
  const distinctKeys = Array.from({ length: 60_000 }, (_, i) => `k${i}=1`).join('&');
  const deepJson = repeatTo('[', LIMIT - 16);
  const manyEvents = `[${repeatTo('{},', LIMIT - 16).slice(0, -1)}]`;
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  const healthCheck = () => fetch(h.url('/health/live')).then((r) => r.arrayBuffer());
  const json = { 'content-type': 'application/json' };

  // Zip bombs within the body limit: about 1 GiB of zeros once inflated.
  const gzipBomb = gzipSync(Buffer.alloc(1024 * 1024 * 1024));
  const deflateBomb = deflateSync(Buffer.alloc(1024 * 1024 * 1024));
  const encoded = (encoding: string, headers: Record<string, string>) => ({
    ...headers,
    'content-encoding': encoding,
  });
  const text = { 'content-type': 'text/plain' };

  const cases: ReadonlyArray<
    [string, string, () => string | Uint8Array, () => Record<string, string>, number]
  > = [
    ['Twilio, unsigned, one key repeated', '/webhooks/twilio/sms', () => repeatedKeys, () => form, 413],
    ['Twilio, unsigned, distinct keys', '/webhooks/twilio/sms', () => distinctKeys, () => form, 413],
    [
      'Twilio, bad signature, one key repeated',
      '/webhooks/twilio/sms',
      () => repeatedKeys,
      () => ({ ...form, 'x-twilio-signature': 'bm90LWEtc2lnbmF0dXJl' }),
      413,
    ],
    ['Mailchimp, no key', '/webhooks/mailchimp', () => repeatedKeys, () => form, 401],
    [
      'Mailchimp, with key, one key repeated',
      `/webhooks/mailchimp?key=${h.mailchimpSecret}`,
      () => repeatedKeys,
      () => form,
      413,
    ],
    ['SendGrid, unsigned', '/webhooks/sendgrid', () => manyEvents, () => json, 401],
    ['signed API, unsigned', '/v1/preferences', () => deepJson, () => json, 401],
    ['Segment identify, oversized', '/v1/identify', () => deepJson, () => h.segmentHeaders(), 413],
    ['Segment batch, oversized', '/v1/batch', () => manyEvents, () => h.segmentHeaders(), 413],
    [
      'Segment track, deeply nested within its limit',
      '/v1/track',
      () => repeatTo('[', 32 * 1024 - 1),
      () => h.segmentHeaders(),
      400,
    ],
    [
      'Segment batch, gzip bomb, write key in the body',
      '/v1/b',
      () => gzipBomb,
      () => encoded('gzip', text),
      413,
    ],
    [
      'Segment batch, gzip bomb, authenticated',
      '/v1/batch',
      () => gzipBomb,
      () => encoded('gzip', h.segmentHeaders()),
      413,
    ],
    [
      'Segment batch, gzip bomb, unknown write key',
      '/v1/b',
      () => gzipBomb,
      () => encoded('gzip', h.segmentHeaders('wk_unknown')),
      401,
    ],
    ['Segment identify, deflate bomb', '/v1/i', () => deflateBomb, () => encoded('deflate', text), 413],
    [
      'Segment track, deeply nested, gzipped to its limit',
      '/v1/t',
      () => gzipSync(repeatTo('[', 32 * 1024 - 1)),
      () => encoded('gzip', h.segmentHeaders()),
      400,
    ],
  ];

  it.each(cases)(
    '%s: answered with the expected refusal within the bound',
    async (_, path, body, headers, status) => {
      const baseline = await fastest(healthCheck);
      const worst = await fastest(async () =>
        expect((await h.post(path, body(), headers())).status).toBe(status),
      );
      expect(worst).toBeLessThan(Math.max(BOUND_MS, LOAD_FACTOR * baseline));
    },
  );

  it('a health check sent while the worst form body is parsed is not held up', async () => {
    const alone = await fastest(healthCheck);
    const worst = h.post('/webhooks/twilio/sms', repeatedKeys, form);
    const started = performance.now();
    const health = await fetch(h.url('/health/live'));
    const waited = performance.now() - started;
    expect(health.status).toBe(200);
    expect((await worst).status).toBe(413);
    // The quadratic parse held it for seconds; a loaded machine slows a health check on its own too.
    expect(waited).toBeLessThan(Math.max(1_000, 4 * LOAD_FACTOR * alone));
  });
});
