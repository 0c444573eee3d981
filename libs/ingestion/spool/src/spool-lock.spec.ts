import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { records, tempSpoolDir } from '../test/spool-fixtures';
import { DurableSpool } from './durable-spool';
import { SpoolError } from './spool-error';

const options = { maxBytes: 1024 * 1024, maxRecords: 1_000 };

/** Leaves a lock as a holder would: its host and pid, `ageMs` since its last heartbeat. */
async function leaveLock(dir: string, host: string, pid: number, ageMs = 0): Promise<void> {
  const path = join(dir, 'LOCK');
  await writeFile(path, JSON.stringify({ host, pid, since: '2026-12-04T00:00:00.000Z' }));
  const then = new Date(Date.now() - ageMs);
  await utimes(path, then, then);
}

describe('one gateway per spool directory', () => {
  it('refuses a second spool on a directory in use, with the reason and the fix; frees it on close', async () => {
    const { dir, cleanup } = await tempSpoolDir();
    try {
      const first = (await DurableSpool.open(dir, options)).spool;
      await expect(DurableSpool.open(dir, options)).rejects.toMatchObject({
        code: 'LOCKED',
        message: expect.stringContaining(
          `spool directory ${dir} is in use by this same process`,
        ) as unknown as string,
      });
      await first.append(records(0, 3));
      await first.close();
      const second = (await DurableSpool.open(dir, options)).spool;
      expect(second.depth()).toBe(3);
      await second.close();
    } finally {
      await cleanup();
    }
  });

  it('refuses a directory a live process on this host holds, and takes it over once that process is gone', async () => {
    const { dir, cleanup } = await tempSpoolDir();
    const holder = spawn('sleep', ['60'], { stdio: 'ignore' });
    try {
      await leaveLock(dir, hostname(), holder.pid ?? -1);
      const refused = DurableSpool.open(dir, options);
      await expect(refused).rejects.toThrow(SpoolError);
      await expect(refused).rejects.toThrow(
        `in use by process ${holder.pid} on ${hostname()} since 2026-12-04T00:00:00.000Z: two gateways cannot share a spool directory. Give each replica its own SPOOL_DIR`,
      );
      // kill -9, as a crash: the lock stays behind, naming a pid that no longer runs.
      const gone = once(holder, 'exit');
      holder.kill('SIGKILL');
      await gone;
      const taken = (await DurableSpool.open(dir, options)).spool;
      await taken.close();
    } finally {
      holder.kill('SIGKILL');
      await cleanup();
    }
  });

  it('takes over a lock our own pid left (a container restarted as the same pid) and a torn one', async () => {
    const { dir, cleanup } = await tempSpoolDir();
    try {
      await leaveLock(dir, hostname(), process.pid);
      await (await DurableSpool.open(dir, options)).spool.close();
      await writeFile(join(dir, 'LOCK'), '{"host":"gatew');
      await (await DurableSpool.open(dir, options)).spool.close();
    } finally {
      await cleanup();
    }
  });

  it('waits out another host: refused while its heartbeat is fresh, taken over once it is stale', async () => {
    const { dir, cleanup } = await tempSpoolDir();
    const deadPid = spawnSync('true').pid ?? 1;
    try {
      await leaveLock(dir, 'gateway-elsewhere', deadPid, 1_000);
      await expect(DurableSpool.open(dir, { ...options, staleMs: 10_000 })).rejects.toThrow(
        /in use by process \d+ on gateway-elsewhere .* taken over once its heartbeat is 10 s old/,
      );
      await leaveLock(dir, 'gateway-elsewhere', deadPid, 11_000);
      await (await DurableSpool.open(dir, { ...options, staleMs: 10_000 })).spool.close();
    } finally {
      await cleanup();
    }
  });
});
