import type { CircuitStatus, ProviderName } from '@optstream/connectors-domain';

/** Counters for `api_client_requests_total` and friends; the connector wires them to Prometheus. */
export interface ProviderMetrics {
  /** Every HTTP attempt: the status, or the network error code when there was no answer. */
  onRequest?(provider: ProviderName, status: number | string, durationMs: number): void;
  onRetry?(provider: ProviderName, retry: { attempt: number; delayMs: number; reason: string }): void;
  onCircuitChange?(provider: ProviderName, from: CircuitStatus, to: CircuitStatus): void;
}

/** The outside world, injectable so tests control time and randomness. */
export interface ProviderDeps {
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  readonly metrics?: ProviderMetrics;
}

export type ResolvedDeps = Required<Omit<ProviderDeps, 'metrics'>> & { readonly metrics: ProviderMetrics };

const realSleep = (ms: number): Promise<void> =>
  ms <= 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, ms));

export function resolveDeps(deps: ProviderDeps = {}): ResolvedDeps {
  return {
    fetch: deps.fetch ?? ((input, init) => fetch(input, init)),
    now: deps.now ?? Date.now,
    sleep: deps.sleep ?? realSleep,
    random: deps.random ?? Math.random,
    metrics: deps.metrics ?? {},
  };
}
