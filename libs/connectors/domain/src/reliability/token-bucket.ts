export interface TokenBucketConfig {
  /** Sustained requests per second. */
  readonly ratePerSecond: number;
  /** Requests that may go out back to back after a quiet period (bucket capacity, ≥ 1). */
  readonly burst: number;
}

export interface TokenBucket extends TokenBucketConfig {
  /** May be negative: tokens already promised to callers that are waiting. */
  readonly tokens: number;
  readonly updatedAtMs: number;
}

export interface TakeResult {
  readonly state: TokenBucket;
  /** How long the caller must wait before sending; 0 = now. */
  readonly waitMs: number;
}

export function createTokenBucket(config: TokenBucketConfig, nowMs: number): TokenBucket {
  if (!(config.ratePerSecond > 0) || !(config.burst >= 1)) {
    throw new Error(`invalid token bucket: rate ${config.ratePerSecond}/s, burst ${config.burst}`);
  }
  return { ...config, tokens: config.burst, updatedAtMs: nowMs };
}

/**
 * Takes one token. When none is left the token is still RESERVED (the balance goes negative) and the
 * caller is told how long to wait: concurrent callers thus queue up one slot apart instead of all
 * waking at the same instant and exceeding the rate together.
 */
export function take(bucket: TokenBucket, nowMs: number): TakeResult {
  const elapsedMs = Math.max(0, nowMs - bucket.updatedAtMs);
  const refilled = Math.min(bucket.burst, bucket.tokens + (elapsedMs * bucket.ratePerSecond) / 1000);
  const tokens = refilled - 1;
  const waitMs = tokens >= 0 ? 0 : Math.ceil((-tokens * 1000) / bucket.ratePerSecond);
  return { state: { ...bucket, tokens, updatedAtMs: Math.max(nowMs, bucket.updatedAtMs) }, waitMs };
}
