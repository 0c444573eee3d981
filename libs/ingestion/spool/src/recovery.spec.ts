import { appendFile, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { collector, records, segmentFiles, seqOf, tempSpoolDir } from '../test/spool-fixtures';
import { DurableSpool } from './durable-spool';
import { SpoolError } from './spool-error';

const bound = { maxBytes: 1024 * 1024, maxRecords: 10_000 };

describe('DurableSpool recovery on open', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempSpoolDir()));
  afterEach(() => cleanup());

  /** Appends 10 records (one per append) and returns the only segment's path and its size. */
  async function writeTen(): Promise<{ path: string; size: number }> {
    const { spool } = await DurableSpool.open(dir, bound);
    for (const r of records(0, 10)) await spool.append([r]);
    await spool.close();
    const [name] = await segmentFiles(dir);
    const path = join(dir, name ?? 'missing');
    return { path, size: (await stat(path)).size };
  }

  async function depthAfterOpen(): Promise<{ depth: number; size: number }> {
    const { spool, warnings } = await DurableSpool.open(dir, bound);
    expect(warnings).toHaveLength(1);
    await spool.close();
    const [name] = await segmentFiles(dir);
    return { depth: spool.depth(), size: (await stat(join(dir, name ?? 'missing'))).size };
  }

  async function drainSeqs(spool: DurableSpool): Promise<number[]> {
    const { publish, seen } = collector();
    await spool.drain(publish, { batchSize: 3 });
    return seen.map(seqOf);
  }

  it('truncates a record cut mid-write and recovers every complete record before it', async () => {
    const { path, size } = await writeTen();
    await truncate(path, size - 5);

    const { spool, warnings } = await DurableSpool.open(dir, bound);
    expect(warnings).toEqual([expect.objectContaining({ code: 'TORN_TAIL_TRUNCATED' })]);
    expect(spool.depth()).toBe(9);
    expect(await drainSeqs(spool)).toEqual(records(0, 9).map(seqOf));
    await spool.close();
  });

  it('keeps appending cleanly after the torn tail was cut away', async () => {
    const { path, size } = await writeTen();
    await truncate(path, size - 5);
    const { spool } = await DurableSpool.open(dir, bound);
    await spool.append(records(100, 2));
    await spool.close();

    const reopened = await DurableSpool.open(dir, bound);
    expect(reopened.warnings).toEqual([]);
    expect(await drainSeqs(reopened.spool)).toEqual([...records(0, 9), ...records(100, 2)].map(seqOf));
    await reopened.spool.close();
  });

  it('treats a cut inside the length header, a bad CRC on the last record and zero fill as torn tails', async () => {
    const { path, size } = await writeTen();
    const original = await readFile(path);

    await appendFile(path, Buffer.from([0, 0, 1]));
    expect(await depthAfterOpen()).toEqual({ depth: 10, size });

    await appendFile(path, Buffer.alloc(4096));
    expect(await depthAfterOpen()).toEqual({ depth: 10, size });

    const badLastCrc = Buffer.from(original);
    badLastCrc[size - 1] = (badLastCrc[size - 1] ?? 0) ^ 0xff;
    await writeFile(path, badLastCrc);
    const { spool, warnings } = await DurableSpool.open(dir, bound);
    expect(warnings).toHaveLength(1);
    expect(await drainSeqs(spool)).toEqual(records(0, 9).map(seqOf));
    await spool.close();
  });

  it('refuses to open when a record before the tail is corrupted', async () => {
    const { path } = await writeTen();
    const bytes = await readFile(path);
    bytes[12] = (bytes[12] ?? 0) ^ 0x01; // inside the first record's payload
    await writeFile(path, bytes);

    const opening = DurableSpool.open(dir, bound);
    await expect(opening).rejects.toBeInstanceOf(SpoolError);
    await expect(opening).rejects.toMatchObject({ code: 'CORRUPT' });
    expect(await readFile(path)).toEqual(bytes); // nothing "repaired" away
  });

  it('deletes a drained segment left behind by a crash between checkpoint and delete', async () => {
    const { spool } = await DurableSpool.open(dir, { ...bound, segmentBytes: 256 });
    await spool.append(records(0, 6));
    await spool.append(records(6, 6));
    await spool.close();
    const before = await segmentFiles(dir);
    expect(before.length).toBeGreaterThanOrEqual(2);
    // Checkpoint says the first segment is done; its file still exists, as after a crash.
    await writeFile(
      join(dir, 'checkpoint.json'),
      JSON.stringify({ segment: Number(before[1]?.slice(0, 16)), offset: 0 }),
    );

    const reopened = await DurableSpool.open(dir, bound);
    expect(await segmentFiles(dir)).toEqual(before.slice(1));
    expect(await drainSeqs(reopened.spool)).toEqual(records(6, 6).map(seqOf));
    await reopened.spool.close();
  });
});
