import { createTokenBucket, take, type TokenBucket } from './token-bucket';

const run = (bucket: TokenBucket, times: readonly number[]): number[] => {
  const waits: number[] = [];
  let state = bucket;
  for (const t of times) {
    const result = take(state, t);
    state = result.state;
    waits.push(result.waitMs);
  }
  return waits;
};

describe('token bucket', () => {
  it.each([
    [
      'burst passes at once, then one per 1/rate',
      { ratePerSecond: 10, burst: 3 },
      [0, 0, 0, 0, 0],
      [0, 0, 0, 100, 200],
    ],
    ['refills over time', { ratePerSecond: 10, burst: 3 }, [0, 0, 0, 100, 300], [0, 0, 0, 0, 0]],
    [
      'never holds more than burst',
      { ratePerSecond: 10, burst: 2 },
      [0, 10_000, 10_000, 10_000],
      [0, 0, 0, 100],
    ],
    ['burst 1 spaces every request', { ratePerSecond: 4, burst: 1 }, [0, 0, 0], [0, 250, 500]],
    ['fractional rate', { ratePerSecond: 0.5, burst: 1 }, [0, 0], [0, 2000]],
  ])('%s', (_name, config, times, expected) => {
    expect(run(createTokenBucket(config, 0), times)).toEqual(expected);
  });

  it('reserved tokens keep waiters one slot apart (no thundering herd after a wait)', () => {
    const waits = run(createTokenBucket({ ratePerSecond: 100, burst: 1 }, 0), [0, 0, 0, 5, 5]);
    // Requests scheduled at 0, 10, 20, 30, 40 ms: callers at t=5 wait 25 and 35 ms.
    expect(waits).toEqual([0, 10, 20, 25, 35]);
  });

  it('a clock that steps back does not mint tokens', () => {
    const first = take(createTokenBucket({ ratePerSecond: 10, burst: 1 }, 1000), 1000);
    expect(take(first.state, 900).waitMs).toBe(100);
  });

  it.each([[{ ratePerSecond: 0, burst: 1 }], [{ ratePerSecond: 10, burst: 0 }]])(
    'rejects an invalid config %j',
    (config) => {
      expect(() => createTokenBucket(config, 0)).toThrow('invalid token bucket');
    },
  );
});
