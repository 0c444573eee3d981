import { createProvider, type ProviderDeps, type ReliabilitySettings } from '../src';
import { createServer } from 'node:net';
import { contact, creds, FAST, recordingMetrics, skewableClock, useSimulators } from './support';

/** Reliability rules, exercised through the SendGrid adapter: one DELETE per subscribed contact. */
describe('outbound reliability (against the simulator)', () => {
  const sims = useSimulators();
  const sendgrid = (
    settings: ReliabilitySettings = {},
    deps: ProviderDeps = {},
    baseUrl = sims().baseUrl('sendgrid'),
  ) =>
    createProvider(
      { provider: 'sendgrid', apiKey: creds.sendgridApiKey, baseUrl, ...FAST, ...settings },
      deps,
    );
  const subscribed = (n: number) =>
    Array.from({ length: n }, (_, i) =>
      contact({ externalId: `c${i}`, email: `c${i}@example.com`, channels: { email: 'subscribed' } }),
    );
  const one = subscribed(1);

  it('429 storm: never exceeds the configured rate, honours Retry-After, delivers everything', async () => {
    sims().setRateLimit('sendgrid', { requestsPerSecond: 20, burst: 5 });
    const rate = { ratePerSecond: 25, burst: 1, maxConcurrency: 5 };
    const adapter = sendgrid({ rateLimit: rate, retry: { ...FAST.retry, maxAttempts: 10 } });

    const results = await adapter.deliver(subscribed(30));

    expect(results.filter((r) => r.outcome.kind !== 'delivered')).toEqual([]);
    expect(
      sims()
        .calls('sendgrid')
        .some((c) => c.status === 429),
    ).toBe(true);
    expect(sims().maxObservedRatePerSecond('sendgrid')).toBeLessThanOrEqual(rate.ratePerSecond + rate.burst);
  }, 15_000);

  it('waits out the Retry-After of a 429 before trying again', async () => {
    sims().setFault('sendgrid', { kind: 'rate-limit', retryAfterSeconds: 1, times: 1 });
    const [result] = await sendgrid().deliver(one);
    expect(result?.outcome).toEqual({ kind: 'delivered' });
    const [first, second] = sims().calls('sendgrid');
    expect(first?.status).toBe(429);
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it('a Retry-After longer than we wait in-process parks the contact with retryAfterMs', async () => {
    sims().setFault('sendgrid', { kind: 'rate-limit', retryAfterSeconds: 120 });
    const [result] = await sendgrid().deliver(one);
    expect(result?.outcome).toMatchObject({ kind: 'retry', reason: 'rate limited (429)' });
    expect(result?.outcome.kind === 'retry' && result.outcome.retryAfterMs).toBeGreaterThanOrEqual(119_000);
    expect(sims().calls('sendgrid')).toHaveLength(1);
  });

  it('5xx then recovery: retried with backoff, delivered, retries counted', async () => {
    sims().setFault('sendgrid', { kind: 'server-error', status: 503, times: 2 });
    const recorded = recordingMetrics();
    const [result] = await sendgrid({}, { metrics: recorded.metrics }).deliver(one);
    expect(result?.outcome).toEqual({ kind: 'delivered' });
    expect(recorded.requests).toEqual([
      ['sendgrid', 503],
      ['sendgrid', 503],
      ['sendgrid', 204],
    ]);
    expect(recorded.retries).toEqual(['server error (503)', 'server error (503)']);
  });

  it('a request that gets no answer times out and is retried', async () => {
    sims().setFault('sendgrid', { kind: 'timeout', times: 1 });
    const recorded = recordingMetrics();
    const [result] = await sendgrid({ timeoutMs: 200 }, { metrics: recorded.metrics }).deliver(one);
    expect(result?.outcome).toEqual({ kind: 'delivered' });
    expect(recorded.retries).toEqual(['timeout']);
  });

  it('persistent failure outlives the attempts as a retry (never rejected)', async () => {
    sims().setFault('sendgrid', { kind: 'server-error', status: 500 });
    const [result] = await sendgrid({ circuit: { failureThreshold: 100, coolDownMs: 1000 } }).deliver(one);
    expect(result?.outcome).toEqual({ kind: 'retry', reason: 'server error (500)' });
    expect(sims().calls('sendgrid')).toHaveLength(4);
  });

  it.each([
    ['connection dropped', 'down' as const, /connection reset|network error/],
    ['connection refused', 'refused' as const, /connection refused/],
  ])('%s is a retry', async (_name, kind, reason) => {
    if (kind === 'down') sims().setFault('sendgrid', { kind: 'down' });
    const adapter =
      kind === 'refused' ? sendgrid({}, {}, `http://127.0.0.1:${await closedPort()}`) : sendgrid();
    const [result] = await adapter.deliver(one);
    expect(result?.outcome.kind).toBe('retry');
    expect(result?.outcome.kind === 'retry' && result.outcome.reason).toMatch(reason);
  });

  it('circuit opens after repeated failures, refuses without calling, closes after a successful probe', async () => {
    const clock = skewableClock();
    const recorded = recordingMetrics();
    const adapter = sendgrid(
      { circuit: { failureThreshold: 3, coolDownMs: 30_000 } },
      { now: clock.now, metrics: recorded.metrics },
    );
    sims().setFault('sendgrid', { kind: 'server-error', status: 502 });

    const [failed] = await adapter.deliver(one);
    expect(failed?.outcome).toMatchObject({ kind: 'retry', reason: 'server error (502)' });
    expect(adapter.circuitStatus()).toBe('open');
    const callsWhenOpened = sims().calls('sendgrid').length;
    expect(callsWhenOpened).toBe(3);

    const [refused] = await adapter.deliver(subscribed(2).slice(1));
    expect(refused?.outcome).toMatchObject({ kind: 'retry', reason: 'circuit open' });
    expect(sims().calls('sendgrid')).toHaveLength(callsWhenOpened);

    sims().setFault('sendgrid', null);
    clock.advance(30_001);
    const [recovered] = await adapter.deliver(one);
    expect(recovered?.outcome).toEqual({ kind: 'delivered' });
    expect(adapter.circuitStatus()).toBe('closed');
    expect(recorded.circuit).toEqual(['closed->open', 'open->half-open', 'half-open->closed']);
  });

  it('a failed probe re-opens the circuit', async () => {
    const clock = skewableClock();
    const adapter = sendgrid({ circuit: { failureThreshold: 2, coolDownMs: 30_000 } }, { now: clock.now });
    sims().setFault('sendgrid', { kind: 'server-error' });
    await adapter.deliver(one);
    clock.advance(30_001);
    const [probe] = await adapter.deliver(one);
    expect(probe?.outcome).toMatchObject({ kind: 'retry', reason: 'server error (500)' });
    expect(adapter.circuitStatus()).toBe('open');
  });
});

/** A port nobody listens on (fetch refuses "bad ports" such as 1 before connecting). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}
