export interface RetryPolicy {
  /** Attempts per request including the first (1 = no retry). */
  readonly maxAttempts: number;
  /** Backoff ceiling of the first retry; doubles per retry. */
  readonly baseDelayMs: number;
  /** Cap of the exponential ceiling. */
  readonly maxDelayMs: number;
  /**
   * Longest server-requested wait (Retry-After, rate-limit reset) we sit out in-process; beyond it
   * the request gives up with `retryAfterMs` so the connector parks the contact instead of blocking.
   */
  readonly maxServerDelayMs: number;
}

/**
 * "Full jitter" (AWS architecture blog): a uniform delay in [0, min(cap, base·2^(retry-1))). Spreads
 * retries of many callers that failed together, which plain exponential backoff keeps in lockstep.
 * `retry` is 1 for the first retry; `random` is in [0, 1).
 */
export function fullJitterDelay(policy: RetryPolicy, retry: number, random: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random * ceiling);
}

export type RetryDecision =
  | { readonly kind: 'retry-in'; readonly delayMs: number }
  | { readonly kind: 'give-up'; readonly retryAfterMs?: number };

export interface RetryInput {
  readonly policy: RetryPolicy;
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
  const backoff = fullJitterDelay(policy, attempts, input.random);
  return { kind: 'retry-in', delayMs: Math.max(backoff, serverDelayMs ?? 0) };
}
