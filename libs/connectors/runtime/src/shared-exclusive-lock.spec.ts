import { SharedExclusiveLock } from './shared-exclusive-lock';

/** A holder that stays until the test lets it go, recording when it started. */
function holder(log: string[], name: string) {
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return {
    work: async () => {
      log.push(`start ${name}`);
      await done;
      log.push(`end ${name}`);
    },
    finish: () => finish(),
  };
}

const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('SharedExclusiveLock', () => {
  it('lets shared holders run side by side', async () => {
    const lock = new SharedExclusiveLock();
    const log: string[] = [];
    const [a, b] = [holder(log, 'a'), holder(log, 'b')];
    const runs = [lock.shared(a.work), lock.shared(b.work)];
    await settled();
    expect(log).toEqual(['start a', 'start b']);
    a.finish();
    b.finish();
    await Promise.all(runs);
  });

  it('runs an exclusive holder alone, and later shared holders wait behind it', async () => {
    const lock = new SharedExclusiveLock();
    const log: string[] = [];
    const [a, x, b] = [holder(log, 'a'), holder(log, 'x'), holder(log, 'b')];
    const runs = [lock.shared(a.work), lock.exclusive(x.work), lock.shared(b.work)];
    await settled();
    expect(log).toEqual(['start a']);
    a.finish();
    await settled();
    expect(log).toEqual(['start a', 'end a', 'start x']);
    x.finish();
    await settled();
    expect(log).toEqual(['start a', 'end a', 'start x', 'end x', 'start b']);
    b.finish();
    await Promise.all(runs);
  });

  it('releases the lock when the work fails', async () => {
    const lock = new SharedExclusiveLock();
    await expect(lock.exclusive(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(lock.exclusive(() => Promise.resolve('next'))).resolves.toBe('next');
  });
});
