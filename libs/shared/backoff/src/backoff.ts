/** How often to try, and how long to wait between tries: the one retry policy of the workspace. */
export interface RetryPolicy {
  /** Attempts in total, the first included (1 = no retry). */
  readonly maxAttempts: number;
  /** Ceiling of the wait before the first retry; it doubles with every further retry. */
  readonly baseDelayMs: number;
  /** Cap of that exponential ceiling. */
  readonly maxDelayMs: number;
}

/**
 * How much of the ceiling is random (see the AWS Architecture Blog, "Exponential Backoff And Jitter"):
 * - `full`: uniform in [0, ceiling). Spreads the retries of many callers that failed together, which
 *   plain exponential backoff keeps in lockstep; for calls to an outside platform.
 * - `equal`: ceiling/2 plus uniform in [0, ceiling/2). Never much shorter than the ceiling; for waiting
 *   out our own infrastructure (a broker, the database).
 * - `none`: the ceiling itself; for schedules that are already spread (parked deliveries).
 */
export type Jitter = 'full' | 'equal' | 'none';

/**
 * Exponential backoff: the wait before retry number `retry` (1 = the first retry, i.e. after attempt 1)
 * is drawn below min(maxDelayMs, baseDelayMs · 2^(retry − 1)) as `jitter` says. `random` is in [0, 1)
 * (an argument, so callers and tests decide where randomness comes from). The exponent is bounded so an
 * unbounded retry never overflows to Infinity.
 */
export function backoffDelay(policy: RetryPolicy, retry: number, jitter: Jitter, random: number): number {
  const exponent = Math.min(Math.max(0, retry - 1), 29);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** exponent);
  switch (jitter) {
    case 'full':
      return Math.floor(random * ceiling);
    case 'equal':
      return Math.floor(ceiling / 2 + (random * ceiling) / 2);
    case 'none':
      return ceiling;
  }
}
