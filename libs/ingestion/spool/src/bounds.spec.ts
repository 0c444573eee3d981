import { collector, record, records, seqOf, tempSpoolDir, totalSegmentBytes } from '../test/spool-fixtures';
import { DurableSpool } from './durable-spool';
import { SpoolFullError } from './spool-error';

describe('DurableSpool bound', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempSpoolDir()));
  afterEach(() => cleanup());

  it('rejects an append that would exceed maxRecords with SpoolFullError and writes none of it', async () => {
    const { spool } = await DurableSpool.open(dir, { maxBytes: 1024 * 1024, maxRecords: 5 });
    await spool.append(records(0, 3));
    const bytesOnDisk = await totalSegmentBytes(dir);

    const rejected = spool.append(records(3, 3));
    await expect(rejected).rejects.toBeInstanceOf(SpoolFullError);
    await expect(rejected).rejects.toMatchObject({ code: 'SPOOL_FULL', retriable: true });
    expect(await totalSegmentBytes(dir)).toBe(bytesOnDisk);
    expect(spool.depth()).toBe(3);

    await spool.append(records(3, 2)); // exactly up to the bound is fine
    expect(spool.isWritable()).toBe(false);
    await spool.close();

    const reopened = (await DurableSpool.open(dir, { maxBytes: 1024 * 1024, maxRecords: 5 })).spool;
    const { publish, seen } = collector();
    await reopened.drain(publish, { batchSize: 10 });
    expect(seen.map(seqOf)).toEqual([0, 1, 2, 3, 4]);
    expect(reopened.isWritable()).toBe(true);
    await reopened.close();
  });

  it('rejects an append that would exceed maxBytes and accepts again once drained', async () => {
    const probe = await DurableSpool.open(dir, { maxBytes: 1024 * 1024, maxRecords: 100 });
    await probe.spool.append([record(0)]);
    const oneRecordBytes = probe.spool.bytes();
    await probe.spool.drain(collector().publish, { batchSize: 1 });
    await probe.spool.close();

    const { spool } = await DurableSpool.open(dir, { maxBytes: oneRecordBytes * 2 + 10, maxRecords: 100 });
    await spool.append([record(1)]);
    await spool.append([record(2)]);
    await expect(spool.append([record(3)])).rejects.toBeInstanceOf(SpoolFullError);
    expect(spool.depth()).toBe(2);

    await spool.drain(collector().publish, { batchSize: 5 });
    await expect(spool.append([record(3)])).resolves.toBeUndefined();
    expect(spool.depth()).toBe(1);
    await spool.close();
  });

  it('marks an append bigger than the whole bound as never retriable', async () => {
    const { spool } = await DurableSpool.open(dir, { maxBytes: 1024 * 1024, maxRecords: 2 });
    await expect(spool.append(records(0, 3))).rejects.toMatchObject({
      code: 'APPEND_TOO_LARGE',
      retriable: false,
    });
    expect(await totalSegmentBytes(dir)).toBe(0);
    await spool.close();
  });

  it('rejects options that can never work', async () => {
    await expect(DurableSpool.open(dir, { maxBytes: 0, maxRecords: 10 })).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
    });
  });
});
