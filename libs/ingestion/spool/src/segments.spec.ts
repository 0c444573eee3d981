import {
  collector,
  records,
  segmentFiles,
  seqOf,
  tempSpoolDir,
  totalSegmentBytes,
} from '../test/spool-fixtures';
import { DurableSpool } from './durable-spool';

describe('DurableSpool segments', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempSpoolDir()));
  afterEach(() => cleanup());

  it('drains 10,000 records spread over several segments in order and deletes the drained segments', async () => {
    const options = { maxBytes: 64 * 1024 * 1024, maxRecords: 20_000, segmentBytes: 64 * 1024 };
    const first = await DurableSpool.open(dir, options);
    for (let from = 0; from < 10_000; from += 250) await first.spool.append(records(from, 250));
    await first.spool.close();
    expect((await segmentFiles(dir)).length).toBeGreaterThanOrEqual(5);

    const { spool } = await DurableSpool.open(dir, options);
    expect(spool.depth()).toBe(10_000);
    const { publish, seen } = collector();
    await expect(spool.drain(publish, { batchSize: 333 })).resolves.toEqual({ published: 10_000 });

    expect(seen.map(seqOf)).toEqual(records(0, 10_000).map(seqOf));
    expect(await segmentFiles(dir)).toHaveLength(1);
    expect(await totalSegmentBytes(dir)).toBe(0);
    expect(spool.depth()).toBe(0);

    await spool.append(records(10_000, 3));
    await spool.close();
    const reopened = await DurableSpool.open(dir, options);
    const after = collector();
    await reopened.spool.drain(after.publish, { batchSize: 10 });
    expect(after.seen.map(seqOf)).toEqual([10_000, 10_001, 10_002]);
    await reopened.spool.close();
  });
});
