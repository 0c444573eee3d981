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
  const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (attempt - 1));
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

/**
 * Runs `work` until it succeeds, fails with a non-retriable error, or the attempts run out. Never
 * retries programmer errors (anything not marked retriable). `shouldStop` ends waiting early on shutdown.
 */
export async function withRetry<T>(
  work: () => Promise<T>,
  policy: RetryPolicy,
  { now = Date.now, shouldStop = () => false }: { now?: () => number; shouldStop?: () => boolean } = {},
): Promise<RetryOutcome<T>> {
  let firstFailedAt = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return { ok: true, value: await work(), attempts: attempt };
    } catch (error) {
      const at = now();
      if (firstFailedAt === 0) firstFailedAt = at;
      if (!isRetriable(error) || attempt >= policy.attempts || shouldStop()) {
        return { ok: false, error, attempts: attempt, firstFailedAt, lastFailedAt: at };
      }
      await new Promise((r) => setTimeout(r, backoffDelay(policy, attempt)));
    }
  }
}
