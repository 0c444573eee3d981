import { backoffDelay, type RetryPolicy } from '@optstream/backoff';
import { isRetriable } from './errors';

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 200, maxDelayMs: 5_000 };

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
   * stop, or `onWait` throws; they never count towards `policy.maxAttempts`.
   */
  readonly retryIndefinitely?: (error: unknown) => boolean;
  /** Runs after every backoff wait (a consumer heartbeats here); an error it throws ends the retry. */
  readonly onWait?: () => Promise<void>;
  readonly sleep?: (ms: number) => Promise<void>;
  /** In [0, 1): the jitter's randomness (injectable so tests are deterministic). */
  readonly random?: () => number;
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
    random = Math.random,
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
      if (!isRetriable(error) || budgeted >= policy.maxAttempts || shouldStop()) {
        return { ok: false, error, attempts: attempt, firstFailedAt, lastFailedAt: at };
      }
      // Equal jitter: waiting out our own infrastructure, never much shorter than the backoff's ceiling.
      await sleep(backoffDelay(policy, attempt, 'equal', random()));
      await onWait();
    }
  }
}
