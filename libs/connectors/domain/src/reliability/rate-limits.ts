import type { ProviderName } from '../consent';
import type { TokenBucketConfig } from './token-bucket';

export interface RateLimitConfig extends TokenBucketConfig {
  /** Requests in flight at once. */
  readonly maxConcurrency: number;
}

/**
 * Defaults, each from docs/providers.md (reference: shared providers facts). All are overridable via
 * `<PROVIDER>_RATE_PER_SECOND` / `<PROVIDER>_BURST`.
 * - braze: /users/track allows 3,000 req per 3 s → 1,000/s.
 * - onesignal: 1,000 req/s per app (plus 1 write/s per user, enforced by the adapter).
 * - mailchimp: the documented limit is ≤ 10 concurrent connections, no rate → concurrency 10; the rate
 *   is only a ceiling so a tight loop of fast answers stays polite.
 * - sendgrid: per-endpoint limits are unpublished (the 500/150 in the docs are examples) → a
 *   conservative 10/s; the X-RateLimit-* headers it sends on every answer are honoured on 429.
 * - attentive: no published limits → conservative 5/s.
 */
export const DEFAULT_RATE_LIMITS: Readonly<Record<ProviderName, RateLimitConfig>> = {
  braze: { ratePerSecond: 1000, burst: 100, maxConcurrency: 20 },
  onesignal: { ratePerSecond: 1000, burst: 100, maxConcurrency: 20 },
  mailchimp: { ratePerSecond: 50, burst: 10, maxConcurrency: 10 },
  sendgrid: { ratePerSecond: 10, burst: 10, maxConcurrency: 5 },
  attentive: { ratePerSecond: 5, burst: 5, maxConcurrency: 2 },
};

/** OneSignal: "1 request per second per user or subscription" for user/subscription writes. */
export const ONESIGNAL_PER_USER_WRITE_INTERVAL_MS = 1000;
