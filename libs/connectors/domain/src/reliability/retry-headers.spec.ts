import { parseRateLimitReset, parseRetryAfter, serverRequestedDelay } from './retry-headers';

const NOW = Date.parse('2015-10-21T07:28:00Z');

describe('parseRetryAfter', () => {
  it.each([
    ['delta seconds', '120', 120_000],
    ['zero', '0', 0],
    ['fractional seconds', '1.5', 1500],
    ['padded', ' 3 ', 3000],
    ['HTTP-date in the future', 'Wed, 21 Oct 2015 07:28:30 GMT', 30_000],
    ['HTTP-date in the past', 'Wed, 21 Oct 2015 07:27:00 GMT', 0],
    ['absent', undefined, undefined],
    ['empty', '', undefined],
    ['garbage', 'soon', undefined],
    ['negative', '-5', undefined],
  ])('%s: %j → %j', (_name, value, expected) => {
    expect(parseRetryAfter(value, NOW)).toBe(expected);
  });
});

describe('parseRateLimitReset', () => {
  it.each([
    ['epoch seconds (SendGrid, Braze)', String(NOW / 1000 + 7), 7000],
    ['epoch seconds already past', String(NOW / 1000 - 7), 0],
    ['small number = seconds until reset', '12', 12_000],
    ['absent', undefined, undefined],
    ['HTTP-date is not a reset header format', 'Wed, 21 Oct 2015 07:28:30 GMT', undefined],
  ])('%s', (_name, value, expected) => {
    expect(parseRateLimitReset(value, NOW)).toBe(expected);
  });
});

describe('serverRequestedDelay', () => {
  const reset = String(NOW / 1000 + 10);
  it.each([
    ['429 with Retry-After', 429, { 'retry-after': '2' }, 2000],
    ['OneSignal RetryAfter spelling', 429, { retryafter: '4' }, 4000],
    ['429 with only a reset', 429, { 'x-ratelimit-reset': reset }, 10_000],
    [
      '429: the later of Retry-After and reset',
      429,
      { 'retry-after': '2', 'x-ratelimit-reset': reset },
      10_000,
    ],
    ['429: Retry-After later than reset', 429, { 'retry-after': '20', 'x-ratelimit-reset': reset }, 20_000],
    [
      '503 ignores a reset of a window not exhausted',
      503,
      { 'x-ratelimit-reset': reset, 'x-ratelimit-remaining': '40' },
      undefined,
    ],
    [
      '503 with remaining 0 honours the reset',
      503,
      { 'x-ratelimit-reset': reset, 'x-ratelimit-remaining': '0' },
      10_000,
    ],
    ['503 with Retry-After', 503, { 'retry-after': '1' }, 1000],
    ['nothing asked', 500, {}, undefined],
  ])('%s', (_name, status, headers, expected) => {
    expect(serverRequestedDelay(status, headers, NOW)).toBe(expected);
  });
});
