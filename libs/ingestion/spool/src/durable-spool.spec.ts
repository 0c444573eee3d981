import { collector, record, records, seqOf, tempSpoolDir } from '../test/spool-fixtures';
import { DurableSpool } from './durable-spool';
import type { SpoolRecord } from './spool-record';

const bound = { maxBytes: 64 * 1024 * 1024, maxRecords: 100_000 };

describe('DurableSpool append and drain', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempSpoolDir()));
  afterEach(() => cleanup());

  it('returns after a reopen exactly the records appended, byte for byte and in order', async () => {
    const first = await DurableSpool.open(dir, bound);
    const appended = [...records(0, 3), ...records(3, 4)];
    await first.spool.append(appended.slice(0, 3));
    await first.spool.append(appended.slice(3));
    await first.spool.close();

    const { spool, warnings } = await DurableSpool.open(dir, bound);
    expect(warnings).toEqual([]);
    expect(spool.depth()).toBe(7);
    const { publish, seen } = collector();
    await expect(spool.drain(publish, { batchSize: 3 })).resolves.toEqual({ published: 7 });
    expect(seen).toEqual(appended);
    expect(spool.depth()).toBe(0);
    expect(spool.bytes()).toBe(0);
    await spool.close();
  });

  it('does not deliver drained records again after a reopen', async () => {
    const first = await DurableSpool.open(dir, bound);
    await first.spool.append(records(0, 5));
    await first.spool.drain(collector().publish, { batchSize: 2 });
    await first.spool.append(records(5, 2));
    await first.spool.close();

    const { spool } = await DurableSpool.open(dir, bound);
    expect(spool.depth()).toBe(2);
    const { publish, seen } = collector();
    await spool.drain(publish, { batchSize: 10 });
    expect(seen.map(seqOf)).toEqual([5, 6]);
    await spool.close();
  });

  it('reports depth and bytes for metrics and shrinks them as batches are published', async () => {
    const { spool } = await DurableSpool.open(dir, bound);
    await spool.append(records(0, 4));
    const fullBytes = spool.bytes();
    expect(spool.depth()).toBe(4);
    expect(fullBytes).toBeGreaterThan(0);
    let depthDuringSecondBatch = -1;
    let calls = 0;
    await spool.drain(
      async () => {
        calls += 1;
        if (calls === 2) depthDuringSecondBatch = spool.depth();
      },
      { batchSize: 2 },
    );
    expect(depthDuringSecondBatch).toBe(2);
    expect(spool.bytes()).toBe(0);
    await spool.close();
  });

  it('keeps the records of each concurrent append contiguous and in their order', async () => {
    const { spool } = await DurableSpool.open(dir, { ...bound, segmentBytes: 4096 });
    const writers = 20;
    await Promise.all(
      Array.from({ length: writers }, (_, w) => spool.append(records(w * 1000, 25 + w, `append-${w}`))),
    );
    const { publish, seen } = collector();
    await spool.drain(publish, { batchSize: 7 });

    expect(seen).toHaveLength(Array.from({ length: writers }, (_, w) => 25 + w).reduce((a, b) => a + b, 0));
    const runs: SpoolRecord[][] = [];
    for (const r of seen) {
      const last = runs[runs.length - 1];
      if (last !== undefined && last[0]?.headers['tag'] === r.headers['tag']) last.push(r);
      else runs.push([r]);
    }
    expect(runs).toHaveLength(writers);
    for (const run of runs) {
      const w = Number(run[0]?.headers['tag']?.replace('append-', ''));
      expect(run.map(seqOf)).toEqual(records(w * 1000, 25 + w).map(seqOf));
    }
    await spool.close();
  });

  it('serialises concurrent drains so no record is published twice', async () => {
    const { spool } = await DurableSpool.open(dir, bound);
    await spool.append(records(0, 50));
    const { publish, seen } = collector();
    const results = await Promise.all([
      spool.drain(publish, { batchSize: 4 }),
      spool.drain(publish, { batchSize: 4 }),
    ]);
    expect(results.map((r) => r.published)).toEqual([50, 0]);
    expect(seen.map(seqOf)).toEqual(records(0, 50).map(seqOf));
    await spool.close();
  });

  it('drains records appended while a drain is running', async () => {
    const { spool } = await DurableSpool.open(dir, bound);
    await spool.append([record(0)]);
    const seen: number[] = [];
    await spool.drain(
      async (batch) => {
        seen.push(...batch.map(seqOf));
        if (seen.length < 5) await spool.append([record(seen.length)]);
      },
      { batchSize: 1 },
    );
    expect(seen).toEqual([0, 1, 2, 3, 4]);
    expect(spool.depth()).toBe(0);
    await spool.close();
  });

  it('refuses appends after close and is then not writable', async () => {
    const { spool } = await DurableSpool.open(dir, bound);
    expect(spool.isWritable()).toBe(true);
    await spool.close();
    expect(spool.isWritable()).toBe(false);
    await expect(spool.append([record(1)])).rejects.toMatchObject({ code: 'CLOSED' });
  });
});
