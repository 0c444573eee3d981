import { backoffDelay, type RetryPolicy } from '@optstream/backoff';

/** One provider's HTTP retries: the backoff, and the longest wait the provider may ask for in-process. */
export interface ProviderRetryPolicy extends RetryPolicy {
  /**
   * Longest server-requested wait (Retry-After, rate-limit reset) we sit out in-process; beyond it
   * the request gives up with `retryAfterMs` so the connector parks the contact instead of blocking.
   */
  readonly maxServerDelayMs: number;
}

export type RetryDecision =
  | { readonly kind: 'retry-in'; readonly delayMs: number }
  | { readonly kind: 'give-up'; readonly retryAfterMs?: number };

export interface RetryInput {
  readonly policy: ProviderRetryPolicy;
  /** Attempts made so far (≥ 1). */
  readonly attempts: number;
  readonly random: number;
  /** What the provider asked for (see serverRequestedDelay), if anything. */
  readonly serverDelayMs?: number;
}

/** The later of our backoff and the provider's requested delay, within the attempt budget. */
export function decideRetry(input: RetryInput): RetryDecision {
  const { policy, attempts, serverDelayMs } = input;
  const tooLong = serverDelayMs !== undefined && serverDelayMs > policy.maxServerDelayMs;
  if (attempts >= policy.maxAttempts || tooLong) {
    return serverDelayMs === undefined
      ? { kind: 'give-up' }
      : { kind: 'give-up', retryAfterMs: serverDelayMs };
  }
  // Full jitter: many contacts' calls to one platform fail together; their retries must not.
  const backoff = backoffDelay(policy, attempts, 'full', input.random);
  return { kind: 'retry-in', delayMs: Math.max(backoff, serverDelayMs ?? 0) };
}
