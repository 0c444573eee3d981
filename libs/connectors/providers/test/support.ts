import type { ContactConsent } from '@optstream/connectors-domain';
import {
  DEFAULT_SIMULATOR_CREDENTIALS,
  startProviderSimulators,
  type ProviderSimulators,
} from '@optstream/provider-simulators';
import type { ProviderMetrics, ReliabilitySettings } from '../src';

export const creds = DEFAULT_SIMULATOR_CREDENTIALS;

/** Small delays so retries, timeouts and cool-downs finish in milliseconds. */
export const FAST: ReliabilitySettings = {
  rateLimit: { ratePerSecond: 1000, burst: 100, maxConcurrency: 10 },
  retry: { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 40, maxServerDelayMs: 5000 },
  circuit: { failureThreshold: 3, coolDownMs: 60_000 },
  timeoutMs: 1000,
};

export const contact = (overrides: Partial<ContactConsent> & { externalId: string }): ContactConsent => ({
  version: 1,
  channels: {},
  causationId: `cause-${overrides.externalId}`,
  ...overrides,
});

/** One simulator for the file; state, faults and calls are reset before every test. */
export function useSimulators(): () => ProviderSimulators {
  let sims: ProviderSimulators | undefined;
  beforeAll(async () => {
    sims = await startProviderSimulators({ port: 0 });
  });
  beforeEach(() => sims?.reset());
  afterAll(async () => sims?.close());
  return () => {
    if (!sims) throw new Error('simulators not started');
    return sims;
  };
}

/** Records metric callbacks for assertions. */
export function recordingMetrics() {
  const requests: [string, number | string][] = [];
  const retries: string[] = [];
  const circuit: string[] = [];
  const metrics: ProviderMetrics = {
    onRequest: (provider, status) => requests.push([provider, status]),
    onRetry: (_provider, retry) => retries.push(retry.reason),
    onCircuitChange: (_provider, from, to) => circuit.push(`${from}->${to}`),
  };
  return { metrics, requests, retries, circuit };
}

/** A clock the test can move forward (cool-downs) while real time keeps running for sockets. */
export function skewableClock() {
  let skew = 0;
  return { now: () => Date.now() + skew, advance: (ms: number) => (skew += ms) };
}
