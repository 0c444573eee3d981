import { KeySpacer } from './key-spacer';

/** A fake clock: sleeping advances it; tasks take `taskMs`. */
function harness(taskMs: number) {
  let now = 0;
  const starts: [string, number][] = [];
  const spacer = new KeySpacer(
    1000,
    () => now,
    async (ms) => {
      now += Math.max(0, ms);
    },
  );
  const task = (key: string) => async () => {
    starts.push([key, now]);
    now += taskMs;
  };
  const advance = (ms: number) => (now += ms);
  return { spacer, starts, task, advance };
}

describe('KeySpacer', () => {
  it('same key: each task starts an interval after the previous one finished', async () => {
    const { spacer, starts, task } = harness(50);
    await Promise.all([
      spacer.run('u1', task('u1')),
      spacer.run('u1', task('u1')),
      spacer.run('u1', task('u1')),
    ]);
    expect(starts).toEqual([
      ['u1', 0],
      ['u1', 1050],
      ['u1', 2100],
    ]);
  });

  it('different keys do not wait for each other', async () => {
    const { spacer, starts, task } = harness(0);
    await Promise.all(['u1', 'u2', 'u3'].map((k) => spacer.run(k, task(k))));
    expect(starts.map(([, at]) => at)).toEqual([0, 0, 0]);
  });

  it('a failing task still spaces the next one and does not break the chain', async () => {
    const { spacer, starts, task } = harness(0);
    await expect(spacer.run('u1', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await spacer.run('u1', task('u1'));
    expect(starts).toEqual([['u1', 1000]]);
  });

  it('forgets completions older than the interval, so it remembers only the keys still spaced', async () => {
    const { spacer, task, advance } = harness(0);
    for (let i = 0; i < 5000; i += 1) {
      await spacer.run(`u${i}`, task(`u${i}`));
      advance(1); // 1 ms apart: at most ~1,000 completions are younger than the 1 s interval
    }
    expect(spacer.remembered).toBeLessThanOrEqual(1001);
    expect(spacer.remembered).toBeGreaterThan(900);
    advance(1000);
    await spacer.run('late', task('late'));
    expect(spacer.remembered).toBe(1); // everything else is past its interval
  });
});
