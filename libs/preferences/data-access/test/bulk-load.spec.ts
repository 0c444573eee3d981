import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { MarketingPreferenceUpdated } from '@optstream/contracts';
import { testDatabaseUrl, uniqueName } from '@optstream/testing';
import { DataSource } from 'typeorm';
import {
  allocateVersion,
  applyPreferenceBatch,
  dropVersion,
  PreferenceBulkLoader,
  type PartitionBatch,
  type ProjectionTarget,
} from '../src';
import { PREFERENCES_DATABASE } from '../src/database';

jest.setTimeout(180_000);

const CONTACTS = [randomUUID(), randomUUID(), randomUUID()];
const base = 1_767_225_600_000;

const eventArb = fc.record({
  eventId: fc.integer({ min: 0, max: 14 }),
  contact: fc.integer({ min: 0, max: CONTACTS.length - 1 }),
  channel: fc.constantFrom('email' as const, 'sms' as const, 'push' as const),
  newStatus: fc.constantFrom('subscribed' as const, 'unsubscribed' as const),
  at: fc.integer({ min: 0, max: 3 }),
  recordedAt: fc.integer({ min: 0, max: 5 }),
  // Text that the COPY encoding must carry unchanged: multi-byte UTF-8, tabs, newlines, backslashes.
  sourceOfChange: fc.constantFrom('Test', 'Préférences ✓ 🙂', 'tab\there\nnew line \\ back\\slash', ''),
});

const TABLES = {
  channel_state: 'external_id, channel',
  contacts: 'external_id',
  history: 'event_id',
} as const;

describe('PreferenceBulkLoader: the rebuild writer produces the rows of applyPreferenceBatch', () => {
  let db: DataSource;
  const projection = uniqueName('test-bulk');
  const versions: number[] = [];
  const target = (version: number): ProjectionTarget => ({
    projection,
    version,
    fenceActiveVersion: false,
    useOutbox: false,
  });

  const snapshot = async (version: number): Promise<Record<string, unknown[]>> => {
    const out: Record<string, unknown[]> = {};
    for (const [table, order] of Object.entries(TABLES)) {
      const rows: { row: unknown }[] = await db.query(
        `SELECT to_jsonb(t) - 'projection_version' AS row FROM preferences.${table} t
          WHERE projection_version = $1 ORDER BY ${order}`,
        [version],
      );
      out[table] = rows.map((r) => r.row);
    }
    return out;
  };

  beforeAll(async () => {
    db = new DataSource({
      type: 'postgres',
      url: testDatabaseUrl(),
      synchronize: false,
      migrationsTableName: PREFERENCES_DATABASE.migrationsTableName,
      migrations: [...PREFERENCES_DATABASE.migrations],
      extra: { max: 4 },
    });
    await db.initialize();
    await db.runMigrations({ transaction: 'each' });
  });
  afterAll(async () => {
    for (const v of versions) await dropVersion(db, v);
    await db.destroy();
  });

  it('same rows for any batching, grouping, redelivery, cross-batch duplicate and cache size', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(eventArb, { minLength: 1, maxLength: 40 }),
        fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 8 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 4 }),
        async (raw, batchSizes, groupSizes, redeliver, cache) => {
          // One eventId is one fact (the same id always carries the same content), as in the log.
          const facts = new Map<number, MarketingPreferenceUpdated>();
          const events = raw.map((e) => {
            const known = facts.get(e.eventId);
            if (known) return known;
            const eventId = `${projection}-e${String(e.eventId).padStart(2, '0')}`;
            const event: MarketingPreferenceUpdated = {
              eventId,
              externalId: CONTACTS[e.contact] ?? '',
              channel: e.channel,
              newStatus: e.newStatus,
              sourceOfChange: e.sourceOfChange,
              source: { system: 'optstream_api', providerEventRef: `ref-${eventId}` },
              occurredAt: base + e.at * 1000,
              recordedAt: base + e.recordedAt * 1000 + 1,
              causationId: eventId,
            };
            facts.set(e.eventId, event);
            return event;
          });
          // Each contact in its own partition, cut into batches at random sizes, the partitions'
          // batches interleaved round-robin (as a consumer of several partitions sees them).
          const perPartition = CONTACTS.map((contact, partition) => {
            const log = events
              .filter((e) => e.externalId === contact)
              .map((value, i) => ({ offset: String(i), value }));
            const cuts: PartitionBatch<MarketingPreferenceUpdated>[] = [];
            let cut = 0;
            for (let at = 0; at < log.length; ) {
              const size = batchSizes[cut++ % batchSizes.length] ?? 1;
              cuts.push({ topic: 't', partition, events: log.slice(at, at + size) });
              at += size;
            }
            return cuts;
          });
          const order: PartitionBatch<MarketingPreferenceUpdated>[] = [];
          for (let i = 0; perPartition.some((p) => i < p.length); i += 1)
            for (const p of perPartition) {
              const batch = p[i];
              if (batch) order.push(batch);
            }

          const live = await allocateVersion(db);
          const bulk = await allocateVersion(db);
          versions.push(live, bulk);
          for (const batch of order) await applyPreferenceBatch(db, target(live), batch);

          const loader = new PreferenceBulkLoader(db, bulk, {
            maxCachedContacts: cache,
            maxDirtyContacts: cache,
          });
          let g = 0;
          for (let at = 0; at < order.length; ) {
            const size = groupSizes[g++ % groupSizes.length] ?? 1;
            const group = order.slice(at, at + size);
            await loader.apply(group);
            // A redelivered group (a rebalance) changes nothing.
            if (redeliver) expect((await loader.apply(group)).applied).toBe(0);
            at += size;
          }
          await loader.flush();
          expect(await snapshot(bulk)).toEqual(await snapshot(live));
        },
      ),
      { numRuns: 30 },
    );
  });

  it('a duplicate of an event applied by an earlier transaction is caught by the key and re-applied exactly', async () => {
    const version = await allocateVersion(db);
    const live = await allocateVersion(db);
    versions.push(version, live);
    const id = CONTACTS[0] ?? '';
    const make = (n: number, at: number, newStatus: 'subscribed' | 'unsubscribed') => ({
      eventId: `${projection}-dup-${n}`,
      externalId: id,
      channel: 'email' as const,
      newStatus,
      sourceOfChange: 'Test',
      source: { system: 'optstream_api' as const, providerEventRef: `ref-${n}` },
      occurredAt: base + at,
      recordedAt: base + at,
      causationId: `c-${n}`,
    });
    // e1 loses to e2 (older), then e1 comes again in a later transaction: not a winner, so only the
    // history key can tell it is a duplicate (a plain fold would count it again in `version`).
    const first = [make(2, 2000, 'unsubscribed'), make(1, 1000, 'subscribed')];
    const second = [make(1, 1000, 'subscribed'), make(3, 3000, 'subscribed')];
    const b1 = { topic: 't', partition: 0, events: first.map((value, i) => ({ offset: String(i), value })) };
    const b2 = {
      topic: 't',
      partition: 0,
      events: second.map((value, i) => ({ offset: String(i + 2), value })),
    };
    const loader = new PreferenceBulkLoader(db, version);
    await loader.apply([b1]);
    const outcome = await loader.apply([b2]);
    expect(outcome).toEqual({ applied: 1, alreadyApplied: 0, duplicates: 1 });
    expect(loader.exactRetries).toBe(1);
    await loader.flush();
    await applyPreferenceBatch(db, target(live), b1);
    await applyPreferenceBatch(db, target(live), b2);
    expect(await snapshot(version)).toEqual(await snapshot(live));
  });
});
