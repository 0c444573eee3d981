import { backoffDelay, type RetryPolicy } from './backoff';

const policy: RetryPolicy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1000 };

describe('backoffDelay', () => {
  it.each([
    [1, 0, 0],
    [1, 0.5, 50],
    [2, 0.5, 100],
    [3, 0.999, 399],
    [4, 0.5, 400],
    [5, 0.5, 500], // 1600 capped to 1000
    [30, 0.5, 500], // no overflow for large retry counts
  ])('full jitter: retry %i with random %f → %i ms', (retry, random, expected) => {
    expect(backoffDelay(policy, retry, 'full', random)).toBe(expected);
  });

  it.each([
    [1, 0, 50],
    [1, 0.5, 75],
    [3, 0.999, 399],
    [1_000, 0.5, 750], // capped, however many retries
  ])('equal jitter: retry %i with random %f → %i ms', (retry, random, expected) => {
    expect(backoffDelay(policy, retry, 'equal', random)).toBe(expected);
  });

  it.each([
    [1, 100],
    [2, 200],
    [4, 800],
    [5, 1000],
    [1_000, 1000],
  ])('no jitter: retry %i → %i ms', (retry, expected) => {
    expect(backoffDelay(policy, retry, 'none', 0.5)).toBe(expected);
  });
});
