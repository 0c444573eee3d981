import type { ProviderName, RateLimit } from '../types';
import { FaultSlot } from './fault-slot';
import type { RateSnapshot, SimResponse } from './provider-definition';
import { RateWindow } from './rate-window';
import { TokenBucket } from './token-bucket';

/** Nominal numbers for rate headers when no limit is configured (SendGrid's docs use 600 as an example). */
const NOMINAL_LIMIT = 600;

/** The mutable bookkeeping of one provider: faults, limits, observed rate, idempotency, effects. */
export class ProviderRuntime {
  readonly fault = new FaultSlot();
  readonly window = new RateWindow();
  private bucket: TokenBucket | null = null;
  private readonly idempotent = new Map<string, SimResponse>();
  private effectCount = 0;
  inFlight = 0;

  constructor(readonly provider: ProviderName) {}

  setRateLimit(limit: RateLimit | null, now: number): void {
    this.bucket = limit ? new TokenBucket(limit, now) : null;
  }

  /** Takes a token; without one returns how many seconds until the next request would pass. */
  admit(now: number): { ok: true } | { ok: false; retryAfterSeconds: number } {
    if (this.bucket === null) return { ok: true };
    const taken = this.bucket.take(now);
    return taken.ok
      ? taken
      : { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(taken.retryAfterMs / 1000)) };
  }

  rateSnapshot(now: number): RateSnapshot {
    const nowSeconds = Math.ceil(now / 1000);
    if (this.bucket === null)
      return { limit: NOMINAL_LIMIT, remaining: NOMINAL_LIMIT, resetAt: nowSeconds + 1 };
    const { burst, requestsPerSecond } = this.bucket.limit;
    const remaining = this.bucket.remaining(now);
    return {
      limit: burst,
      remaining,
      resetAt: nowSeconds + Math.ceil((burst - remaining) / requestsPerSecond),
    };
  }

  replay(key: string): SimResponse | undefined {
    return this.idempotent.get(key);
  }

  remember(key: string, response: SimResponse): void {
    this.idempotent.set(key, response);
  }

  /** Called by the provider's state for every change it applies. */
  readonly countEffect = (n = 1): void => {
    this.effectCount += n;
  };

  effects(): number {
    return this.effectCount;
  }

  resetCalls(): void {
    this.window.reset();
  }

  reset(): void {
    this.fault.set(null);
    this.bucket = null;
    this.window.reset();
    this.idempotent.clear();
    this.effectCount = 0;
  }
}
