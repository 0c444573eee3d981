import fc from 'fast-check';
import { records, seqOf, tempSpoolDir } from '../test/spool-fixtures';
import { DurableSpool } from './durable-spool';
import type { SpoolRecord } from './spool-record';

type Step =
  | { readonly kind: 'append'; readonly count: number }
  | {
      readonly kind: 'drain';
      readonly batchSize: number;
      /** Publish calls that succeed before one fails; null = none fails. */
      readonly failAfter: number | null;
      /** Whether the failing call reached Kafka anyway (lost acknowledgement). */
      readonly deliveredBeforeFailing: boolean;
    }
  | { readonly kind: 'reopen' };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('append' as const), count: fc.integer({ min: 1, max: 8 }) }),
  fc.record({
    kind: fc.constant('drain' as const),
    batchSize: fc.integer({ min: 1, max: 10 }),
    failAfter: fc.option(fc.nat({ max: 4 }), { nil: null }),
    deliveredBeforeFailing: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('reopen' as const) }),
);

const options = { maxBytes: 1024 * 1024, maxRecords: 10_000, segmentBytes: 512 };

// A hundred runs of real file I/O with fsync: about 4 s on an idle machine, far more when the cores are
// shared, so Jest's 5 s default would fail it by load rather than by a fault.
jest.setTimeout(60_000);

describe('DurableSpool (property)', () => {
  it('eventually publishes every appended record at least once, first deliveries in append order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), async (steps) => {
        const { dir, cleanup } = await tempSpoolDir();
        let spool = (await DurableSpool.open(dir, options)).spool;
        const appended: number[] = [];
        const published: SpoolRecord[] = [];
        try {
          for (const s of steps) {
            if (s.kind === 'append') {
              const batch = records(appended.length, s.count);
              await spool.append(batch);
              appended.push(...batch.map(seqOf));
            } else if (s.kind === 'reopen') {
              await spool.close();
              spool = (await DurableSpool.open(dir, options)).spool;
            } else {
              await drainWithFailure(spool, s, published);
            }
          }
          await spool.drain(async (batch) => void published.push(...batch), { batchSize: 7 });

          expect(spool.depth()).toBe(0);
          const firstDeliveries = [...new Set(published.map(seqOf))];
          expect(firstDeliveries).toEqual(appended);
        } finally {
          await spool.close();
          await cleanup();
        }
      }),
      { numRuns: 60 },
    );
  });
});

async function drainWithFailure(
  spool: DurableSpool,
  s: Extract<Step, { kind: 'drain' }>,
  published: SpoolRecord[],
): Promise<void> {
  let calls = 0;
  const publish = async (batch: SpoolRecord[]): Promise<void> => {
    calls += 1;
    if (s.failAfter !== null && calls > s.failAfter) {
      if (s.deliveredBeforeFailing) published.push(...batch);
      throw new Error('kafka unavailable');
    }
    published.push(...batch);
  };
  await spool.drain(publish, { batchSize: s.batchSize }).catch((error: unknown) => {
    if (!(error instanceof Error) || error.message !== 'kafka unavailable') throw error;
  });
}
