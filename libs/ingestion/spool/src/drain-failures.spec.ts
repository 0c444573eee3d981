import { collector, records, seqOf, tempSpoolDir } from '../test/spool-fixtures';
import { DurableSpool } from './durable-spool';
import type { SpoolRecord } from './spool-record';

const bound = { maxBytes: 1024 * 1024, maxRecords: 10_000 };

function countBySeq(seen: readonly SpoolRecord[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const r of seen) counts.set(seqOf(r), (counts.get(seqOf(r)) ?? 0) + 1);
  return counts;
}

describe('DurableSpool drain when publishing fails', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempSpoolDir()));
  afterEach(() => cleanup());

  it('stops at the failing batch, keeps the rest, and a later drain delivers each record exactly once', async () => {
    const { spool } = await DurableSpool.open(dir, bound);
    await spool.append(records(0, 40));
    const kafkaDown = new Error('broker unreachable');
    const delivered: SpoolRecord[] = [];
    let calls = 0;
    const failingOnThirdBatch = async (batch: SpoolRecord[]): Promise<void> => {
      calls += 1;
      if (calls === 3) throw kafkaDown;
      delivered.push(...batch);
    };

    await expect(spool.drain(failingOnThirdBatch, { batchSize: 8 })).rejects.toBe(kafkaDown);
    expect(delivered.map(seqOf)).toEqual(records(0, 16).map(seqOf));
    expect(spool.depth()).toBe(24);

    await spool.close();
    const reopened = (await DurableSpool.open(dir, bound)).spool;
    const { publish, seen } = collector();
    await reopened.drain(publish, { batchSize: 8 });
    const counts = countBySeq([...delivered, ...seen]);
    expect([...counts.keys()]).toEqual(records(0, 40).map(seqOf));
    expect([...counts.values()].every((count) => count === 1)).toBe(true);
    await reopened.close();
  });

  it('repeats only the batch whose acknowledgement was lost (published, then publish rejected)', async () => {
    const { spool } = await DurableSpool.open(dir, bound);
    await spool.append(records(0, 20));
    const delivered: SpoolRecord[] = [];
    let calls = 0;
    await expect(
      spool.drain(
        async (batch) => {
          delivered.push(...batch);
          calls += 1;
          // Kafka stored the batch but the ack never arrived: the spool must treat it as not published.
          if (calls === 2) throw new Error('request timed out');
        },
        { batchSize: 5 },
      ),
    ).rejects.toThrow('request timed out');
    await spool.drain(async (batch) => void delivered.push(...batch), { batchSize: 5 });

    const counts = countBySeq(delivered);
    expect(counts.size).toBe(20);
    const duplicated = [...counts].filter(([, count]) => count > 1).map(([seq]) => seq);
    expect(duplicated).toEqual([5, 6, 7, 8, 9]);
    await spool.close();
  });
});
