import type { HeaderMap } from '../http';

/**
 * `Retry-After` as delay in ms from `nowMs`: delta-seconds ("120") or an HTTP-date
 * ("Wed, 21 Oct 2015 07:28:00 GMT"). Undefined when absent or unparseable; never negative.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // An HTTP-date always names a weekday and month; Date.parse would also accept "-5" as a year.
  const at = /[a-z]{3}/i.test(text) ? Date.parse(text) : Number.NaN;
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/**
 * `X-RateLimit-Reset` as delay in ms: SendGrid and Braze send the reset moment as Unix epoch SECONDS.
 * Small values (< 10^9) are read as seconds-until-reset, the other convention in the wild.
 */
export function parseRateLimitReset(value: string | undefined, nowMs: number): number | undefined {
  const text = value?.trim();
  if (!text || !/^\d+(\.\d+)?$/.test(text)) return undefined;
  const n = Number(text);
  return n < 1e9 ? Math.round(n * 1000) : Math.max(0, Math.round(n * 1000 - nowMs));
}

/**
 * How long the provider asked us to wait, if it did. Retry-After always counts (OneSignal's older
 * docs spell it `RetryAfter`). The rate-limit reset counts only when the window is exhausted (429 or
 * remaining 0): SendGrid puts the header on every response, and a 503 is no reason to wait for it.
 */
export function serverRequestedDelay(status: number, headers: HeaderMap, nowMs: number): number | undefined {
  const retryAfter = parseRetryAfter(headers['retry-after'] ?? headers['retryafter'], nowMs);
  const exhausted = status === 429 || headers['x-ratelimit-remaining']?.trim() === '0';
  const reset = exhausted ? parseRateLimitReset(headers['x-ratelimit-reset'], nowMs) : undefined;
  if (retryAfter === undefined) return reset;
  return reset === undefined ? retryAfter : Math.max(retryAfter, reset);
}
