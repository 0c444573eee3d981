import { isRetriable } from './errors';

export interface RetryPolicy {
  /** Attempts in total, the first included. */
  readonly attempts: number;
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, initialDelayMs: 200, maxDelayMs: 5_000 };

/** Exponential backoff with full jitter; `random` is injectable so tests are deterministic. */
export function backoffDelay(
  policy: RetryPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  // The exponent is bounded so an unbounded retry (see `retryIndefinitely`) never overflows to Infinity.
  const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (Math.min(attempt, 30) - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export type RetryOutcome<T> =
  | { readonly ok: true; readonly value: T; readonly attempts: number }
  | {
      readonly ok: false;
      readonly error: unknown;
      readonly attempts: number;
      readonly firstFailedAt: number;
      readonly lastFailedAt: number;
    };

export interface RetryOptions {
  readonly now?: () => number;
  /** Ends retrying early (shutdown): the last failure is returned. */
  readonly shouldStop?: () => boolean;
  /**
   * Retriable failures for which the attempt budget does not apply (an infrastructure outage: the
   * database is down). They are retried with capped backoff until they succeed, `shouldStop` says
   * stop, or `onWait` throws; they never count towards `policy.attempts`.
   */
  readonly retryIndefinitely?: (error: unknown) => boolean;
  /** Runs after every backoff wait (a consumer heartbeats here); an error it throws ends the retry. */
  readonly onWait?: () => Promise<void>;
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * Runs `work` until it succeeds, fails with a non-retriable error, or the attempts run out. Never
 * retries programmer errors (anything not marked retriable). `shouldStop` ends waiting early on shutdown.
 */
export async function withRetry<T>(
  work: () => Promise<T>,
  policy: RetryPolicy,
  {
    now = Date.now,
    shouldStop = () => false,
    retryIndefinitely = () => false,
    onWait = async () => undefined,
    sleep = (ms) => new Promise((r) => setTimeout(r, ms)),
  }: RetryOptions = {},
): Promise<RetryOutcome<T>> {
  let firstFailedAt = 0;
  let budgeted = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return { ok: true, value: await work(), attempts: attempt };
    } catch (error) {
      const at = now();
      if (firstFailedAt === 0) firstFailedAt = at;
      const unbounded = isRetriable(error) && retryIndefinitely(error);
      if (!unbounded) budgeted += 1;
      if (!isRetriable(error) || budgeted >= policy.attempts || shouldStop()) {
        return { ok: false, error, attempts: attempt, firstFailedAt, lastFailedAt: at };
      }
      await sleep(backoffDelay(policy, attempt));
      await onWait();
    }
  }
}
