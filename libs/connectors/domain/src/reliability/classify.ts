import type { DeliveryOutcome } from '../delivery';

export type NetworkErrorCode = 'timeout' | 'connection-refused' | 'connection-reset' | 'network-error';

/** What one HTTP attempt came to, before any interpretation. */
export type AttemptResult =
  | { readonly kind: 'response'; readonly status: number }
  | { readonly kind: 'network-error'; readonly code: NetworkErrorCode }
  | { readonly kind: 'circuit-open' };

/** A DeliveryOutcome for one request: "not-applicable" is decided before any request exists. */
export type RequestOutcome = Exclude<DeliveryOutcome, { kind: 'not-applicable' }>;

const NETWORK_REASONS: Record<NetworkErrorCode, string> = {
  timeout: 'timeout',
  'connection-refused': 'connection refused',
  'connection-reset': 'connection reset',
  'network-error': 'network error',
};

/**
 * Transient vs. permanent. 401/403 are NOT a verdict on the contact but on our configuration (a
 * revoked or mistyped key, a missing scope): dead-lettering would bury every contact of the stream
 * until someone replays the DLQ, while 'retry' parks them and they flow again once the key is fixed.
 * Mailchimp also answers a bare 403 when its connection limit is hit — one more reason.
 */
export function classifyAttempt(result: AttemptResult): RequestOutcome {
  if (result.kind === 'circuit-open') return { kind: 'retry', reason: 'circuit open' };
  if (result.kind === 'network-error') return { kind: 'retry', reason: NETWORK_REASONS[result.code] };
  return classifyStatus(result.status);
}

export function classifyStatus(status: number): RequestOutcome {
  if (status >= 200 && status < 300) return { kind: 'delivered' };
  if (status === 429) return { kind: 'retry', reason: 'rate limited (429)' };
  if (status === 401 || status === 403) return { kind: 'retry', reason: `credentials rejected (${status})` };
  if (status === 408) return { kind: 'retry', reason: 'request timeout (408)' };
  if (status >= 500) return { kind: 'retry', reason: `server error (${status})` };
  return { kind: 'rejected', reason: `rejected by provider (${status})`, status };
}

/**
 * Whether an attempt says the PROVIDER is unhealthy (feeds the circuit breaker). A 429 does not: the
 * provider is up and told us when to come back — backoff handles it, and tripping the breaker on a
 * rate limit would turn a short throttle into a full outage. A 4xx about one contact does not either.
 */
export function isProviderFailure(result: AttemptResult): boolean {
  if (result.kind === 'network-error') return true;
  if (result.kind === 'circuit-open') return false;
  return result.status >= 500 || result.status === 401 || result.status === 403 || result.status === 408;
}
