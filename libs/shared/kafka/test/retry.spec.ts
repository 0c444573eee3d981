import { ProcessingError, withRetry } from '../src';

const POLICY = { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 40 };
const noSleep = async () => undefined;

describe('withRetry', () => {
  it('gives up on a retriable failure after the budget', async () => {
    let calls = 0;
    const outcome = await withRetry(
      async () => {
        calls += 1;
        throw new ProcessingError('DB_BUSY', 'busy', true);
      },
      POLICY,
      { sleep: noSleep },
    );
    expect([outcome.ok, outcome.attempts, calls]).toEqual([false, 3, 3]);
  });

  it('retries failures marked for it without a budget, waiting (heartbeat) between attempts', async () => {
    let calls = 0;
    let waits = 0;
    const outcome = await withRetry(
      async () => {
        calls += 1;
        if (calls < 20) throw new ProcessingError('DATABASE_UNAVAILABLE', 'down', true);
        return 'done';
      },
      POLICY,
      {
        sleep: noSleep,
        retryIndefinitely: (e) => e instanceof ProcessingError && e.code === 'DATABASE_UNAVAILABLE',
        onWait: async () => void (waits += 1),
      },
    );
    expect(outcome).toEqual({ ok: true, value: 'done', attempts: 20 });
    expect(waits).toBe(19);
  });

  it('still gives up on poison and stops on shutdown or when the heartbeat fails', async () => {
    const poison = await withRetry(
      async () => {
        throw new ProcessingError('INVALID', 'poison', false);
      },
      POLICY,
      { sleep: noSleep, retryIndefinitely: () => true },
    );
    expect([poison.ok, poison.attempts]).toEqual([false, 1]);
    let stop = false;
    const stopped = await withRetry(
      async () => {
        stop = true;
        throw new ProcessingError('DATABASE_UNAVAILABLE', 'down', true);
      },
      POLICY,
      { sleep: noSleep, retryIndefinitely: () => true, shouldStop: () => stop },
    );
    expect([stopped.ok, stopped.attempts]).toEqual([false, 1]);
    await expect(
      withRetry(
        async () => {
          throw new ProcessingError('DATABASE_UNAVAILABLE', 'down', true);
        },
        POLICY,
        {
          sleep: noSleep,
          retryIndefinitely: () => true,
          onWait: async () => {
            throw new Error('rebalancing');
          },
        },
      ),
    ).rejects.toThrow('rebalancing');
  });
});
